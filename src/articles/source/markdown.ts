/**
 * Markdown read with the site's own parser (Sätteri, the processor Astro renders articles with, and the
 * same features), so the checker, the desk and the loader see the tree the renderer sees: a marker in a
 * code block is code, a link in a comment is no link.
 */
import { markdownToMdast, type MdastNode } from 'satteri';

/** The features Astro turns on for Markdown by default (`markdown.gfm`, `markdown.smartypants`). */
export const MARKDOWN_FEATURES = { gfm: true, smartPunctuation: true } as const;

/** A place in the Markdown text: offsets (UTF-16, as in the string) and the 1-based line. */
export interface Place {
  start: number;
  end: number;
  line: number;
}

/** What lies where in the parsed tree, in document order. */
export interface MarkdownScan {
  /** Raw HTML, block or inline (links and images in it are collected too); `topLevel` when it is a block of its own directly in the document. */
  html: (Place & { value: string; topLevel: boolean })[];
  /** Fenced, indented and inline code; `valueLine` is the line where `value` starts. */
  code: (Place & { value: string; inline: boolean; valueLine: number })[];
  /** Links, and reference definitions (`[label]: /url`, at their own line: that is where to fix them). */
  links: (Place & { url: string })[];
  /** Images: Markdown ones (also through a reference definition) and `<img>` tags. */
  images: (Place & { url: string | undefined; alt: string })[];
}

interface Node {
  type: string;
  value?: string;
  url?: string;
  alt?: string | null;
  identifier?: string;
  position?: { start: { offset?: number; line: number }; end: { offset?: number } };
  children?: Node[];
}

const placeOf = (node: Node): Place => ({
  start: node.position?.start.offset ?? 0,
  end: node.position?.end.offset ?? 0,
  line: node.position?.start.line ?? 1,
});

const attribute = (tag: string, name: string) => {
  const found = new RegExp(String.raw`\s${name}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>\x60]+))`, 'i').exec(tag);
  return found ? (found[1] ?? found[2] ?? found[3] ?? '') : undefined;
};

/** `<a href>` and `<img>` written as raw HTML (comments inside it are not rendered, so not looked at). */
function collectHtmlTags(node: MarkdownScan['html'][number], scan: MarkdownScan) {
  const html = node.value.replace(/<!--[\s\S]*?-->/g, (comment) => ' '.repeat(comment.length));
  const at = (index: number): Place => {
    const before = html.slice(0, index);
    return { start: node.start + index, end: node.start + index, line: node.line + (before.match(/\n/g)?.length ?? 0) };
  };
  for (const match of html.matchAll(/<a\s[^>]*>/gi)) {
    const url = attribute(match[0], 'href');
    if (url !== undefined) scan.links.push({ ...at(match.index), url });
  }
  for (const match of html.matchAll(/<img\b[^>]*>/gi)) {
    const alt = attribute(match[0], 'alt');
    scan.images.push({ ...at(match.index), url: attribute(match[0], 'src'), alt: alt ?? '' });
  }
}

/** Parse an article's body (the text after its frontmatter, as Astro hands it to the renderer). */
export function scanMarkdown(body: string): MarkdownScan {
  const root = markdownToMdast(body, { features: MARKDOWN_FEATURES }) as MdastNode as Node;
  const scan: MarkdownScan = { html: [], code: [], links: [], images: [] };
  const definitions = new Map<string, string>();
  const references: Node[] = [];
  const visit = (node: Node, parent: Node | undefined) => {
    switch (node.type) {
      case 'html':
        scan.html.push({ ...placeOf(node), value: node.value ?? '', topLevel: parent === root });
        break;
      case 'code':
      case 'inlineCode': {
        const place = placeOf(node);
        const fenced = node.type === 'code' && /^\s*(`{3,}|~{3,})/.test(body.slice(place.start, place.end));
        const inline = node.type === 'inlineCode';
        scan.code.push({ ...place, value: node.value ?? '', inline, valueLine: place.line + (fenced ? 1 : 0) });
        break;
      }
      case 'link':
        scan.links.push({ ...placeOf(node), url: node.url ?? '' });
        break;
      case 'image':
        scan.images.push({ ...placeOf(node), url: node.url ?? '', alt: node.alt ?? '' });
        break;
      case 'definition':
        if (node.identifier && !definitions.has(node.identifier)) definitions.set(node.identifier, node.url ?? '');
        scan.links.push({ ...placeOf(node), url: node.url ?? '' });
        break;
      case 'imageReference':
        references.push(node);
        break;
    }
    for (const child of node.children ?? []) visit(child, node);
  };
  visit(root, undefined);
  for (const node of scan.html) collectHtmlTags(node, scan);
  for (const node of references) {
    scan.images.push({ ...placeOf(node), url: definitions.get(node.identifier ?? ''), alt: node.alt ?? '' });
  }
  const byOffset = (a: Place, b: Place) => a.start - b.start;
  scan.links.sort(byOffset);
  scan.images.sort(byOffset);
  return scan;
}
