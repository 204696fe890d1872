/**
 * Per-request caches cannot be used to block the server (issue 19, point 2). Readers without a session
 * get gated pages from memory (src/server/anonymous-pages.ts); Astro decodes percent-encoding, so one
 * article has millions of spellings (`/members/%68eron-…/`). Eight connections send nothing but new
 * spellings, and new names of articles that do not exist, while `/healthz` is timed on its own
 * connection: it must stay fast. A benchmark-style check with generous bounds (a shared 2-core machine
 * runs this); the figures are printed for docs/performance.md.
 */
import { describe, expect, it } from 'vitest';
import { publishedSourceArticles } from '../support/articles';
import { useKeyedServer } from '../support/fixtures';
import { percentile } from '../support/load';

const keyed = useKeyedServer();
const gated = publishedSourceArticles().filter((a) => a.access !== 'public');
const CONNECTIONS = 8;
const FLOOD_MS = Number(process.env.FLOOD_MS ?? 5000);

/** The n-th spelling of `slug`: its letters percent-encoded (upper- or lower-case hex) as n's bits say. */
function spelling(slug: string, n: number): string {
  let bit = 0;
  return [...slug]
    .map((char) => {
      if (!/[a-z]/.test(char) || bit > 30) return char;
      const on = (n >> bit++) & 1;
      const hex = char.charCodeAt(0).toString(16);
      return on ? `%${n & (1 << 30) ? hex.toUpperCase() : hex}` : char;
    })
    .join('');
}

describe('a flood of unique spellings of gated pages (8 connections)', () => {
  it('leaves /healthz fast: p50 under 50 ms, p99 under 200 ms', async () => {
    const base = keyed.server.url;
    // Each article rendered once the ordinary way first, as readers would.
    for (const article of gated) await (await fetch(`${base}/members/${article.slug}/`)).arrayBuffer();

    let stop = false;
    let sent = 0;
    const statuses = new Map<number, number>();
    const wrong: string[] = [];
    const flood = async (worker: number) => {
      for (let i = 1; !stop; i++) {
        const n = i * CONNECTIONS + worker;
        const article = gated[n % gated.length]!;
        // Mostly spellings of real articles; every fourth a name no article has.
        const path =
          n % 4 === 3 ? `/members/no-such-article-${n}/` : `/members/${spelling(article.slug, Math.floor(n / 4) + 1)}/`;
        // Not following redirects, as a flood would not.
        const response = await fetch(`${base}${path}`, {
          headers: { 'accept-encoding': 'br, gzip' },
          redirect: 'manual',
        });
        await response.arrayBuffer();
        if (response.status === 301 && response.headers.get('location') !== `/members/${article.slug}/`)
          wrong.push(`${path} → ${response.headers.get('location')}`);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        sent++;
      }
    };
    const health: number[] = [];
    const measure = async () => {
      // Give the flood a moment to start, then time /healthz one request at a time.
      await new Promise((r) => setTimeout(r, 200));
      while (!stop) {
        const t0 = performance.now();
        const response = await fetch(`${base}/healthz`);
        await response.arrayBuffer();
        health.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    const workers = [...Array.from({ length: CONNECTIONS }, (_, w) => flood(w)), measure()];
    await new Promise((r) => setTimeout(r, FLOOD_MS));
    stop = true;
    await Promise.all(workers);

    const p50 = percentile(health, 50);
    const p99 = percentile(health, 99);
    console.log(
      `[flood] ${sent} requests in ${FLOOD_MS} ms (${Math.round((sent / FLOOD_MS) * 1000)} req/s, statuses ${JSON.stringify(Object.fromEntries(statuses))}); ` +
        `/healthz ×${health.length}: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...health).toFixed(1)} ms`,
    );
    expect(health.length).toBeGreaterThan(20);
    expect(p50).toBeLessThan(50);
    expect(p99).toBeLessThan(200);
    // Another spelling of an article goes to its one path; a name no article has is a 404.
    expect([...statuses.keys()].sort()).toEqual([301, 404]);
    expect(wrong).toEqual([]);
  });
});
