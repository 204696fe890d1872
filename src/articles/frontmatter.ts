/**
 * Finding an article's frontmatter block the way Astro does, so every tool that reads Markdown sources
 * itself (the editor desk, `npm run check:content`, the content loader's build shortcut) sees exactly the
 * block Astro will see.
 */

/** Same as Astro's frontmatter detection (`@astrojs/internal-helpers/frontmatter`). */
const FRONTMATTER = /(?:^\uFEFF?|^\s*\n)(?:---)([\s\S]*?\n)(?:---)/;

export interface FrontmatterBlock {
  /** The YAML text between the fences. */
  yaml: string;
  /** Where `yaml` starts in the file's text. */
  yamlOffset: number;
  /** Where the Markdown body starts (just after the closing fence). */
  bodyOffset: number;
}

export function findFrontmatter(text: string): FrontmatterBlock | undefined {
  const match = FRONTMATTER.exec(text);
  if (!match) return undefined;
  const yaml = match[1] ?? '';
  const bodyOffset = match.index + match[0].length;
  return { yaml, yamlOffset: bodyOffset - yaml.length - 3, bodyOffset };
}
