/**
 * The reader's search words, parsed here into an FTS5 expression that can only mean what this grammar
 * allows. Raw input never reaches MATCH: every word is emitted as a quoted FTS5 string, so FTS5's own
 * operators (NEAR, AND, NOT, column filters, `^`, `+`, parentheses) are searched as plain words if at all.
 *
 * The grammar readers get:
 * - words: all must match (stemmed: "running" finds "runs");
 * - "a phrase": the words next to each other, in order;
 * - prefix*: words starting with it (at least MIN_PREFIX letters), also after a phrase: "server isl"*;
 * - a OR b: either (upper-case OR between two terms).
 * Words are runs of letters and digits; words joined by - ' . _ (e-mail, don't, 4.5) search as a phrase.
 */

/** Longer input is refused with a clear message rather than searched. */
export const MAX_QUERY_CHARS = 200;
/** Terms beyond this many are ignored (and the reader is told). */
export const MAX_TERMS = 8;
/** A prefix shorter than this would match most of the index; it is searched as a whole word instead. */
export const MIN_PREFIX = 2;
/** Longer single words are cut (no English word is this long; it bounds the work per term). */
export const MAX_WORD_CHARS = 40;

export interface Term {
  /** One word, or several for a phrase. */
  words: string[];
  prefix: boolean;
}

/** Terms any of which may match (a single term when the reader wrote no OR). */
export type Group = Term[];

export type ParsedQuery =
  | {
      ok: true;
      /** The FTS5 expression to bind as the MATCH parameter. */
      expression: string;
      groups: Group[];
      /** True when terms beyond MAX_TERMS were dropped. */
      truncated: boolean;
    }
  | { ok: false; reason: 'empty' | 'too-long' | 'no-words' };

const WORD = /[\p{L}\p{N}]+/gu;
// Inside a chunk, these join words into a phrase; anything else separates terms.
const SEPARATOR = /[^\p{L}\p{N}\-'’._]+/u;

function wordsOf(text: string): string[] {
  return (text.match(WORD) ?? []).map((word) => word.slice(0, MAX_WORD_CHARS));
}

function termsOfChunk(chunk: string): Term[] {
  const prefix = chunk.endsWith('*');
  const parts = chunk.split(SEPARATOR).filter((part) => wordsOf(part).length > 0);
  return parts.map((part, index) => {
    const words = wordsOf(part);
    const last = words[words.length - 1]!;
    return { words, prefix: prefix && index === parts.length - 1 && last.length >= MIN_PREFIX };
  });
}

type Token = { kind: 'term'; term: Term } | { kind: 'or' };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  // A quoted phrase (closing quote optional), or a run of anything but spaces and quotes.
  const pattern = /"([^"]*)"?(\*?)|([^\s"]+)/gu;
  for (const match of input.matchAll(pattern)) {
    const [, phrase, star, chunk] = match;
    if (phrase !== undefined) {
      const words = wordsOf(phrase);
      const last = words[words.length - 1];
      if (last) tokens.push({ kind: 'term', term: { words, prefix: star === '*' && last.length >= MIN_PREFIX } });
    } else if (chunk === 'OR') {
      tokens.push({ kind: 'or' });
    } else if (chunk) {
      for (const term of termsOfChunk(chunk)) tokens.push({ kind: 'term', term });
    }
  }
  return tokens;
}

/** A term as an FTS5 string: quoted (quotes doubled, though words never contain one), `*` after. */
export function termExpression(term: Term): string {
  return `"${term.words.join(' ').replaceAll('"', '""')}"${term.prefix ? '*' : ''}`;
}

export function parseQuery(raw: string): ParsedQuery {
  const input = raw.normalize('NFC').trim();
  if (input.length === 0) return { ok: false, reason: 'empty' };
  if (input.length > MAX_QUERY_CHARS) return { ok: false, reason: 'too-long' };

  const groups: Group[] = [];
  let joinNext = false;
  let count = 0;
  let truncated = false;
  for (const token of tokenize(input)) {
    if (token.kind === 'or') {
      // OR binds two terms; at the start, twice in a row or at the end it is ignored.
      joinNext = groups.length > 0;
      continue;
    }
    if (count === MAX_TERMS) {
      truncated = true;
      break;
    }
    count += 1;
    if (joinNext) groups[groups.length - 1]!.push(token.term);
    else groups.push([token.term]);
    joinNext = false;
  }
  if (groups.length === 0) return { ok: false, reason: 'no-words' };

  const expression = groups
    .map((group) => (group.length === 1 ? termExpression(group[0]!) : `(${group.map(termExpression).join(' OR ')})`))
    .join(' AND ');
  return { ok: true, expression, groups, truncated };
}
