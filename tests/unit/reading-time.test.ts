import { describe, expect, it } from 'vitest';
import { countWords, readingMinutes } from '../../src/articles/reading-time';

describe('countWords', () => {
  it('counts prose, not code, comments, URLs or markup', () => {
    const md = [
      '## A heading here',
      '',
      'Some **bold** text with a [link label](https://example.com/very/long/url).',
      '',
      '```ts',
      'const ignored = "these words do not count";',
      '```',
      '',
      '<!-- members-only -->',
      '![alt words](./images/x.png)',
      '| cell one | cell two |',
    ].join('\n');
    expect(countWords(md)).toBe(3 + 7 + 4);
  });

  it('counts words in any script', () => {
    expect(countWords('Grüße aus Köln, 東京 2026')).toBe(5);
  });
});

describe('readingMinutes', () => {
  it('rounds at 230 words a minute, never below one', () => {
    expect(readingMinutes(0)).toBe(1);
    expect(readingMinutes(230)).toBe(1);
    expect(readingMinutes(700)).toBe(3);
  });
});
