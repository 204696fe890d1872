/**
 * Snippets: FTS5's `snippet()` cuts the text around the matched words and wraps each match in two
 * marker characters (control characters, which the index never contains: see text.ts). Here that
 * string becomes plain segments, so the page renders matches as <mark> with Astro's escaping and no
 * HTML is ever built from article text.
 */

export const MATCH_START = '\u0002';
export const MATCH_END = '\u0003';
export const ELLIPSIS = '…';
/** Tokens FTS5 puts in a snippet (its limit is 64). */
export const SNIPPET_TOKENS = 32;
/** A snippet is never longer than this many characters, whatever the text (one huge "word"). */
export const MAX_SNIPPET_CHARS = 320;

export interface Segment {
  text: string;
  match: boolean;
}

/** The marked snippet as segments; stray or unbalanced markers are dropped, text is cut to bounds. */
export function snippetSegments(marked: string, maxChars = MAX_SNIPPET_CHARS): Segment[] {
  const segments: Segment[] = [];
  let budget = maxChars;
  let match = false;
  let text = '';
  const flush = () => {
    if (!text) return;
    const cut = text.length > budget ? `${text.slice(0, Math.max(0, budget - 1)).trimEnd()}${ELLIPSIS}` : text;
    budget -= Math.min(text.length, budget);
    const previous = segments[segments.length - 1];
    if (previous && previous.match === match) previous.text += cut;
    else segments.push({ text: cut, match });
    text = '';
  };
  for (const char of marked) {
    if (budget <= 0) break;
    if (char === MATCH_START || char === MATCH_END) {
      flush();
      match = char === MATCH_START;
      continue;
    }
    text += char;
    if (text.length > budget) break;
  }
  flush();
  return segments;
}

/** True when at least one matched word is in the snippet. */
export function hasMatch(segments: readonly Segment[]): boolean {
  return segments.some((segment) => segment.match && segment.text.trim().length > 0);
}
