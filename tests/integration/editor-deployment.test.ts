/**
 * The editor desk on a real deployment: a copy of the project holding `dist/` and `node_modules` but no
 * `src/`. The desk lists and previews what the build holds, says that drafts need the source folder and
 * which variable points to it, and never answers 5xx. With that variable set, drafts are back.
 */
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_LEVEL_INFO, isGated } from '../../src/gate/membership';
import { isPublishedSource, loadCanaries, loadSourceArticles, publishedSourceArticles } from '../support/articles';
import {
  generateTestKeys,
  mintToken,
  readerClaims,
  serverEnv,
  sessionCookie,
  type TestKeys,
} from '../support/clerk-session';
import { ARTICLES_SRC, DIST, ROOT } from '../support/paths';
import { startServer, type RunningServer } from '../support/server';

const canaries = loadCanaries();
const published = publishedSourceArticles();
const unpublished = loadSourceArticles().filter((a) => !isPublishedSource(a));
const premium = published.find((a) => a.access === 'premium')!;
const gatedMembers = published.find((a) => a.access === 'members')!;
const open = published.find((a) => a.access === 'public')!;

let deployment = '';
let keys: TestKeys;
let server: RunningServer;

/** A copy as an operator deploys it: the build, the dependencies and package.json, nothing else. */
function deploymentCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatepost-deploy-'));
  cpSync(DIST, join(dir, 'dist'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

const start = (extra: Record<string, string> = {}) =>
  startServer({ ...serverEnv(keys, 'http://127.0.0.1'), GATEPOST_DIST_DIR: join(deployment, 'dist'), ...extra });

beforeAll(async () => {
  deployment = deploymentCopy();
  keys = generateTestKeys();
  server = await start();
});
afterAll(async () => {
  await server?.stop();
  if (deployment) rmSync(deployment, { recursive: true, force: true });
});

const get = async (path: string, target = server) => {
  const cookie = sessionCookie(mintToken(keys, readerClaims().editor));
  const response = await fetch(`${target.url}${path}`, { headers: { cookie }, redirect: 'manual' });
  return { response, html: await response.text() };
};
const row = (html: string, slug: string) => {
  const start = html.indexOf(`data-row="${slug}"`);
  return start === -1 ? '' : html.slice(start, html.indexOf('</tr>', start));
};

describe('the editor desk on a deployment without src/', () => {
  it('is a deployment copy: no source folder next to the build', () => {
    expect(existsSync(join(deployment, 'src'))).toBe(false);
    expect(published.length).toBeGreaterThan(0);
    expect(unpublished.length).toBeGreaterThan(0);
  });

  it('lists every published article with its access level and marker state, and says what drafts need', async () => {
    const { response, html } = await get('/editor/');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(html).toContain('data-desk-source="build"');
    expect(html).toContain('Drafts and scheduled articles are only in the source folder');
    expect(html).toContain('GATEPOST_CONTENT_DIR');
    expect(html).toContain(join(deployment, 'src/content/articles'));
    for (const article of published) {
      const cells = row(html, article.slug);
      expect(cells, article.slug).toContain(article.title.replace(/'/g, '&#39;'));
      expect(cells).toContain(`>${ACCESS_LEVEL_INFO[article.access].label}<`);
      expect(cells).toMatch(
        isGated(article.access)
          ? /<td[^>]*data-label="Marker"[^>]*>\s*yes\s*<\/td>/
          : /<td[^>]*data-label="Marker"[^>]*>\s*—\s*<\/td>/,
      );
    }
    for (const article of unpublished) expect(html).not.toContain(`data-row="${article.slug}"`);
    expect(html.match(/data-row="/g)).toHaveLength(published.length);
  });

  it('filters what the build holds without failing', async () => {
    const drafts = await get('/editor/?state=draft');
    expect(drafts.response.status).toBe(200);
    expect(drafts.html).toContain('No article matches these filters.');
    const gated = await get('/editor/?access=premium');
    expect(gated.html.match(/data-row="/g)).toHaveLength(published.filter((a) => a.access === 'premium').length);
  });

  it('previews a published gated article in full for the editor, with the line where the preview ends', async () => {
    const { response, html } = await get(`/editor/preview/${premium.slug}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(html).toContain(canaries[premium.slug]!);
    expect(html).toContain('data-preview-line');
    expect(html).toContain('data-state="published"');
    expect(html.indexOf('data-preview-line')).toBeLessThan(html.indexOf(canaries[premium.slug]!));
  });

  it('previews it as each kind of reader', async () => {
    const path = `/editor/preview/${premium.slug}/`;
    const anonymous = (await get(`${path}?as=anonymous`)).html;
    expect(anonymous).toContain('data-paywall="sign-in"');
    expect(anonymous).not.toContain(canaries[premium.slug]!);
    const member = (await get(`${path}?as=members`)).html;
    expect(member).toContain('data-paywall="upgrade"');
    expect(member).not.toContain(canaries[premium.slug]!);
    const reader = (await get(`${path}?as=premium`)).html;
    expect(reader).toContain(canaries[premium.slug]!);
    expect(reader).not.toContain('data-preview-line');
    expect((await get(`/editor/preview/${gatedMembers.slug}/?as=members`)).html).toContain(
      canaries[gatedMembers.slug]!,
    );
  });

  it('previews a published public article', async () => {
    const { response, html } = await get(`/editor/preview/${open.slug}/`);
    expect(response.status).toBe(200);
    expect(html).toContain('data-preview-banner');
  });

  it('answers 404, never 5xx, for drafts, scheduled articles, assets and odd paths', async () => {
    for (const path of [
      ...unpublished.map((a) => `/editor/preview/${a.slug}/`),
      '/editor/preview/no-such-article/',
      '/editor/preview/../../package/',
      '/editor/asset/images/measuring-lcp-cover.png',
    ]) {
      expect((await get(path)).response.status, path).toBe(404);
    }
  });
});

describe('the same deployment with GATEPOST_CONTENT_DIR pointing at a source folder', () => {
  let withSource: RunningServer;
  beforeAll(async () => {
    withSource = await start({ GATEPOST_CONTENT_DIR: ARTICLES_SRC });
  });
  afterAll(() => withSource?.stop());

  it('lists and previews drafts and scheduled articles again', async () => {
    const { html } = await get('/editor/', withSource);
    expect(html).not.toContain('data-desk-source="build"');
    for (const article of unpublished) {
      expect(html).toContain(`data-row="${article.slug}"`);
      const preview = await get(`/editor/preview/${article.slug}/`, withSource);
      expect(preview.response.status).toBe(200);
      expect(preview.html).toContain(canaries[article.slug]!);
    }
  });
});
