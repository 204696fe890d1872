/** `/_image` sizes above the source's own are brought down to it, proportions kept (src/images/transformed.ts). */
import { describe, expect, it } from 'vitest';
import { fitToSource, transformedImage } from '../../src/images/transformed';

const source = { width: 1200, height: 600 };
const fit = (query: string) => fitToSource(new URLSearchParams(query), source).toString();

describe('fitToSource', () => {
  it.each([
    ['href=/a.png&w=600&f=webp', 'f=webp&href=%2Fa.png&w=600'],
    ['href=/a.png&w=8192&f=webp', 'f=webp&href=%2Fa.png&w=1200'],
    ['href=/a.png&h=8192', 'h=600&href=%2Fa.png'],
    ['href=/a.png&w=8192&h=8192', 'h=600&href=%2Fa.png&w=600'],
    ['href=/a.png&w=2400&h=600', 'h=300&href=%2Fa.png&w=1200'],
    ['href=/a.png&w=300&h=150', 'h=150&href=%2Fa.png&w=300'],
    ['href=/a.png&f=png', 'f=png&href=%2Fa.png'],
  ])('%s → %s', (query, expected) => {
    expect(fit(query)).toBe(expected);
  });

  it('gives the same key whatever the order of the parameters', () => {
    expect(fit('w=100&href=/a.png&f=avif&q=80')).toBe(fit('q=80&f=avif&href=/a.png&w=100'));
  });
});

describe('transformedImage', () => {
  it('runs a transform once for concurrent and later requests of the same key, and keeps only a 200', async () => {
    let runs = 0;
    const transform = async () => {
      runs += 1;
      await new Promise((r) => setTimeout(r, 20));
      return new Response(new Uint8Array([1, 2, 3]), { headers: { 'content-type': 'image/png', date: 'x' } });
    };
    const responses = await Promise.all(Array.from({ length: 5 }, () => transformedImage('unit-a', transform)));
    responses.push(await transformedImage('unit-a', transform));
    expect(runs).toBe(1);
    for (const response of responses) {
      expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([1, 2, 3]);
      expect(response.headers.get('content-type')).toBe('image/png');
      expect(response.headers.get('date')).toBeNull();
    }
    let failures = 0;
    const failing = () => {
      failures += 1;
      return Promise.resolve(new Response('no', { status: 404 }));
    };
    expect((await transformedImage('unit-b', failing)).status).toBe(404);
    expect((await transformedImage('unit-b', failing)).status).toBe(404);
    expect(failures).toBe(2);
  });
});
