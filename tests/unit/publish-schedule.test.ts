import { z } from 'astro/zod';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { articleSchema } from '../../src/articles/schema';
import { isPublished, publishState } from '../../src/articles/publish';

const schema = articleSchema({ image: () => z.string() });
const article = (pubDate: string, extra = '') =>
  schema.parse(
    parse(
      `title: T\ndescription: A description long enough\nauthor: A\naccess: members\npubDate: ${pubDate}\n${extra}`,
    ),
  );

describe('scheduled publication', () => {
  it('a date without a time goes live at midnight UTC that day', () => {
    const data = article('2027-02-01');
    expect(isPublished(data, new Date('2027-01-31T23:59:59.999Z'))).toBe(false);
    expect(isPublished(data, new Date('2027-02-01T00:00:00.000Z'))).toBe(true);
  });

  it('a time with an offset is the same instant everywhere', () => {
    const data = article('2027-02-01T09:00:00+01:00');
    expect(data.pubDate.toISOString()).toBe('2027-02-01T08:00:00.000Z');
    expect(isPublished(data, new Date('2027-02-01T07:59:59Z'))).toBe(false);
    expect(isPublished(data, new Date('2027-02-01T08:00:00Z'))).toBe(true);
  });

  it('a time in UTC (Z) and a quoted timestamp parse alike', () => {
    expect(article('2027-02-01T08:00:00Z').pubDate.getTime()).toBe(article('"2027-02-01T08:00:00Z"').pubDate.getTime());
  });

  it('the server time zone does not matter: comparisons are between instants', () => {
    const data = article('2027-02-01T08:00:00-05:00');
    const now = new Date(Date.UTC(2027, 1, 1, 13, 0, 0));
    expect(isPublished(data, now)).toBe(true);
    expect(isPublished(data, new Date(now.getTime() - 1))).toBe(false);
  });

  it('reports the desk state', () => {
    const now = new Date('2027-01-15T00:00:00Z');
    expect(publishState(article('2027-02-01'), now)).toBe('scheduled');
    expect(publishState(article('2027-01-01'), now)).toBe('published');
    expect(publishState(article('2027-01-01', 'draft: true'), now)).toBe('draft');
    expect(publishState(article('2027-03-01', 'draft: true'), now)).toBe('draft');
  });
});
