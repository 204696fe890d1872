/**
 * The content data store is read from a JSON file at run time instead of being bundled into a
 * 100-MB-per-10,000-articles JavaScript module (src/articles/data-file.ts). These tests check
 * the built server really works that way, and that a deployment missing the file says so.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { publishedSourceArticles } from '../support/articles';
import { generateTestKeys, mintToken, serverEnv, sessionCookie } from '../support/clerk-session';
import { loadCanaries } from '../support/fixtures';
import { DIST, ROOT } from '../support/paths';
import { startServer } from '../support/server';

const CHUNKS = `${DIST}server/chunks/`;
const canaries = loadCanaries();
const premiumArticle = publishedSourceArticles().find((a) => a.access === 'premium')!;
const keys = generateTestKeys();
const premium = sessionCookie(mintToken(keys, { userId: 'user_p', claims: { metadata: { tier: 'premium' } } }));
const scratch: string[] = [];
afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('content data in the build', () => {
  it('is a JSON file next to the server chunks, and the module that reads it is a few lines', () => {
    expect(existsSync(`${CHUNKS}content-data-store.json`)).toBe(true);
    const modules = readdirSync(CHUNKS).filter((name) => name.startsWith('_astro_data-layer-content'));
    expect(modules).toHaveLength(1);
    expect(statSync(`${CHUNKS}${modules[0]}`).size).toBeLessThan(2_000);
    expect(statSync(`${CHUNKS}content-data-store.json`).size).toBeGreaterThan(50_000);
  });

  it('serves gated articles from that file', async () => {
    const server = await startServer(serverEnv(keys, 'http://127.0.0.1'));
    try {
      const response = await fetch(`${server.url}/members/${premiumArticle.slug}/`, { headers: { cookie: premium } });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain(canaries[premiumArticle.slug]!);
    } finally {
      await server.stop();
    }
  });

  it('a deployment without the file logs what is missing and serves no article (404), never a 500', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'gatepost-nodata-'));
    scratch.push(copy);
    cpSync(DIST, join(copy, 'dist'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
    rmSync(join(copy, 'dist/server/chunks/content-data-store.json'));
    const server = await startServer({ ...serverEnv(keys, 'http://127.0.0.1'), GATEPOST_DIST_DIR: join(copy, 'dist') });
    try {
      const response = await fetch(`${server.url}/members/${premiumArticle.slug}/`, { headers: { cookie: premium } });
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain(canaries[premiumArticle.slug]!);
      expect(server.output()).toMatch(/\[gatepost\] content data missing: .*content-data-store\.json/);
    } finally {
      await server.stop();
    }
  });
});
