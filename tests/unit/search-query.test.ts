/** The search query parser: what readers may write, and that nothing they write escapes into FTS5 syntax. */
import { DatabaseSync } from 'node:sqlite';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_QUERY_CHARS, MAX_TERMS, parseQuery } from '../../src/search/query';
import { ftsTableSql } from '../../src/search/schema';

const expr = (input: string) => {
  const parsed = parseQuery(input);
  if (!parsed.ok) throw new Error(`not ok: ${parsed.reason}`);
  return parsed.expression;
};

describe('parseQuery', () => {
  it('quotes every word and joins terms with AND', () => {
    expect(expr('session cookies')).toBe('"session" AND "cookies"');
  });

  it('keeps phrases, prefixes and OR', () => {
    expect(expr('"server islands" cach*')).toBe('"server islands" AND "cach"*');
    expect(expr('"server isl"*')).toBe('"server isl"*');
    expect(expr('csp OR "content security" astro')).toBe('("csp" OR "content security") AND "astro"');
  });

  it("reads words joined by - . ' _ as a phrase and other punctuation as a separator", () => {
    expect(expr('e-mail')).toBe('"e mail"');
    expect(expr("don't")).toBe('"don t"');
    expect(expr('title:session')).toBe('"title" AND "session"');
    expect(expr('a,b;c')).toBe('"a" AND "b" AND "c"');
  });

  it('turns FTS5 operators and syntax into plain words or nothing', () => {
    expect(expr('NEAR(a b, 2)')).toBe('"NEAR" AND "a" AND "b" AND "2"');
    expect(expr('a AND NOT b')).toBe('"a" AND "AND" AND "NOT" AND "b"');
    expect(expr('{title}: ^x + y')).toBe('"title" AND "x" AND "y"');
    expect(expr('x" OR 1=1 --')).toBe('"x" AND "OR 1 1"');
  });

  it('ignores OR at either end or twice in a row, and lowercase or is a word', () => {
    expect(expr('OR a OR OR b OR')).toBe('("a" OR "b")');
    expect(expr('cats or dogs')).toBe('"cats" AND "or" AND "dogs"');
  });

  it('needs at least two letters before a prefix star', () => {
    expect(expr('a*')).toBe('"a"');
    expect(expr('ab*')).toBe('"ab"*');
  });

  it('refuses empty, too long and wordless input with a reason', () => {
    expect(parseQuery('   ')).toEqual({ ok: false, reason: 'empty' });
    expect(parseQuery('x'.repeat(MAX_QUERY_CHARS + 1))).toEqual({ ok: false, reason: 'too-long' });
    expect(parseQuery('"" * ** !!! -- ...')).toEqual({ ok: false, reason: 'no-words' });
  });

  it(`keeps the first ${MAX_TERMS} terms and says so`, () => {
    const parsed = parseQuery(Array.from({ length: 20 }, (_, i) => `w${i}`).join(' '));
    expect(parsed.ok && parsed.groups.length).toBe(MAX_TERMS);
    expect(parsed.ok && parsed.truncated).toBe(true);
  });

  it('handles letters of any script, accents and replacement characters', () => {
    expect(expr('Café résumé')).toBe('"Café" AND "résumé"');
    expect(expr('Cafe\u0301')).toBe('"Café"');
    expect(expr('日本語 \uFFFD x')).toBe('"日本語" AND "x"');
  });

  it('never produces an expression FTS5 rejects, whatever the input', () => {
    const db = new DatabaseSync(':memory:');
    db.exec(ftsTableSql('t'));
    db.prepare('INSERT INTO t (title, description, tags, body) VALUES (?, ?, ?, ?)').run('a', 'b', 'c', 'd');
    const match = db.prepare('SELECT count(*) AS n FROM t WHERE t MATCH ?');
    const pieces = fc.oneof(
      fc.string(),
      fc.constantFrom('"', '*', 'OR', 'AND', 'NOT', 'NEAR(', ')', '(', ':', '^', '+', '-', '{', '}', 'title:', ' '),
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 30 }), (parts) => {
        const parsed = parseQuery(parts.join(''));
        if (parsed.ok) expect(() => match.get(parsed.expression)).not.toThrow();
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 500) },
    );
    db.close();
  });
});
