/**
 * Plain text of rendered article HTML, for the index: text nodes with entities decoded, block elements
 * kept apart by a space, scripts, styles and comments dropped. Control characters are removed, so the
 * snippet markers (src/search/snippet.ts) can never come from an article.
 */
import { decodeHTML } from 'entities';
import { COMMENT_NODE, ELEMENT_NODE, parse, TEXT_NODE } from 'ultrahtml';

const SKIPPED = new Set(['script', 'style', 'template', 'svg', 'math']);
const INLINE = new Set([
  'a',
  'abbr',
  'b',
  'bdi',
  'bdo',
  'cite',
  'code',
  'data',
  'del',
  'dfn',
  'em',
  'i',
  'ins',
  'kbd',
  'mark',
  'q',
  's',
  'samp',
  'small',
  'span',
  'strong',
  'sub',
  'sup',
  'time',
  'u',
  'var',
]);

interface HtmlNode {
  type: number;
  name?: string;
  value?: string;
  children?: HtmlNode[];
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

export function plainText(text: string): string {
  return text.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
}

export function htmlToText(html: string): string {
  const out: string[] = [];
  const walk = (node: HtmlNode) => {
    if (node.type === TEXT_NODE) out.push(decodeHTML(node.value ?? ''));
    if (node.type === COMMENT_NODE) return;
    if (node.type === ELEMENT_NODE && SKIPPED.has(node.name ?? '')) return;
    const block = node.type === ELEMENT_NODE && !INLINE.has(node.name ?? '');
    if (block) out.push(' ');
    for (const child of node.children ?? []) walk(child);
    if (block) out.push(' ');
  };
  walk(parse(html) as HtmlNode);
  return plainText(out.join(''));
}
