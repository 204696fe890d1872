/**
 * Renders an article's Markdown from source for editor previews, with Astro's own Markdown processor
 * and the site's settings, then adapts the two things the build would do differently:
 * - local images point at the editor asset route (the build would optimise them);
 * - for the editor's own view, the members-only marker becomes a visible line.
 */
import { createSatteriMarkdownProcessor } from '@astrojs/markdown-satteri';
import { MARKDOWN_FEATURES } from '../articles/source/markdown';
import { HAST_PLUGINS, SHIKI_CONFIG } from '../articles/markdown-config';
import { splitRendered } from '../articles/marker';
import { PATHS } from '../site/paths';

let processor: ReturnType<typeof createSatteriMarkdownProcessor> | undefined;

const decode = (value: string) =>
  value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const escapeAttr = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** `<img __ASTRO_IMAGE_="{…}">` placeholders → plain images served by the editor asset route. */
export function resolveImages(html: string, articleFile: string): string {
  const folder = articleFile.includes('/') ? articleFile.slice(0, articleFile.lastIndexOf('/') + 1) : '';
  return html.replace(/<img __ASTRO_IMAGE_="([^"]*)"\s*\/?>/g, (_all, json: string) => {
    const { src, alt = '' } = JSON.parse(decode(json)) as { src: string; alt?: string };
    const url = /^(https?:)?\/\//.test(src)
      ? src
      : `${PATHS.editorAsset}${new URL(src, `file:///${folder}`).pathname.slice(1)}`;
    return `<img src="${escapeAttr(url)}" alt="${escapeAttr(alt)}" loading="lazy">`;
  });
}

export const PREVIEW_LINE =
  '<div class="preview-line" role="separator" data-preview-line><span>Public preview ends here; members read on</span></div>';

export async function renderSource(body: string, articleFile: string): Promise<string> {
  processor ??= createSatteriMarkdownProcessor({
    shikiConfig: SHIKI_CONFIG,
    syntaxHighlight: 'shiki',
    features: MARKDOWN_FEATURES,
    hastPlugins: HAST_PLUGINS,
  });
  const { code } = await (await processor).render(body);
  return resolveImages(code, articleFile);
}

/** The editor's view: everything, with a visible line where the public preview ends (`hasMarker` from `findMarker`). */
export function withPreviewLine(html: string, hasMarker: boolean): string {
  const split = splitRendered(html, hasMarker);
  return split.hasMarker ? `${split.preview}\n${PREVIEW_LINE}\n${split.membersOnly}` : html;
}
