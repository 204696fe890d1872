/**
 * Checks on what a page says, run in the browser: words that run together where two pieces of markup
 * meet ("and<code>OR</code>" read as "andOR", "public.<span>Draft" as "public.Draft"), and hyphenated
 * words in headings that wrap at their hyphen.
 */
import type { Page } from '@playwright/test';

/**
 * Places where the visible text of two neighbouring pieces of markup joins without a space: the end of
 * one and the start of the next, e.g. "and|OR". Clerk's components, code blocks and footnote markers
 * (which sit against their word by design) are left out.
 */
export function textJoins(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const skip = 'script, style, noscript, template, pre, sup, [class^="cl-"], [class*=" cl-"], [aria-hidden="true"]';
    const isBlock = (el: Element) => !getComputedStyle(el).display.startsWith('inline');
    const blockOf = (node: Node) => {
      let el = node.parentElement;
      while (el && !isBlock(el)) el = el.parentElement;
      return el;
    };
    const texts: Text[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest(skip) || !parent.checkVisibility()) continue;
      texts.push(node as Text);
    }
    const joins: string[] = [];
    for (let i = 1; i < texts.length; i++) {
      const before = texts[i - 1]!.textContent ?? '';
      const after = texts[i]!.textContent ?? '';
      // A whitespace-only node between them is a space.
      if (!before.trim() || !after.trim()) continue;
      if (blockOf(texts[i - 1]!) !== blockOf(texts[i]!)) continue;
      if (/[\p{L}\p{N}.,:;!?)]$/u.test(before) && /^[\p{L}\p{N}]/u.test(after)) {
        joins.push(`${before.slice(-20)}|${after.slice(0, 20)}`);
      }
    }
    return joins;
  });
}

/** Hyphenated words in the page's headings that are drawn on more than one line (broken at the hyphen). */
export function brokenHyphenatedWords(page: Page): Promise<{ kept: number; broken: string[] }> {
  return page.evaluate(() => {
    const broken: string[] = [];
    let kept = 0;
    for (const heading of document.querySelectorAll('h1, h2, h3')) {
      const walker = document.createTreeWalker(heading, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        for (const match of text.matchAll(/\S+-\S+/g)) {
          const range = document.createRange();
          range.setStart(node, match.index);
          range.setEnd(node, match.index + match[0].length);
          const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
          if (lines.size > 1) broken.push(match[0]);
          else kept += 1;
        }
      }
    }
    return { kept, broken };
  });
}
