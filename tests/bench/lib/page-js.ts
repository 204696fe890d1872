/**
 * JavaScript a reader's browser transfers per page type, measured in Chromium against the built site
 * with Clerk keys: every script response's body, raw and gzip (zlib, level 9). Clerk's own scripts
 * (clerk-js and Clerk's UI) come from Clerk's servers, unreachable here: the signed-in run blocks that
 * host, records what was asked of it, and adds the sizes of the same files from the npm packages.
 */
import { bundleDir } from '@gatepost/clerk-standin/bundles';
import { chromium, type Request } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromiumLaunchOptions } from '../../support/chromium.ts';
import { FAPI_HOST, generateTestKeys, mintToken, serverEnv } from '../../support/clerk-session.ts';
import { options, startServer } from './common.ts';

export interface PageJsRow {
  reader: 'anonymous' | 'signed-in';
  page: string;
  path: string;
  scripts: number;
  rawKB: number;
  gzipKB: number;
  /** Inline <script> code in the HTML (not JSON-LD), gzip. */
  inlineGzipKB: number;
  /** Scripts asked of Clerk's host (blocked here), by file name. */
  clerkHostRequests: string[];
  /** Clerk's scripts sized from the npm packages (signed-in only). */
  clerkGzipKB: number;
  totalGzipKB: number;
}

const KB = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;
const gz = (body: Buffer) => gzipSync(body, { level: 9 }).length;

/** clerk-js and Clerk's UI as Clerk's servers would send them, from the npm packages. */
export function clerkPackageScripts() {
  const files = {
    'clerk.browser.js': join(bundleDir('clerk-js'), 'clerk.browser.js'),
    'ui.browser.js': join(bundleDir('ui'), 'ui.browser.js'),
  };
  return Object.entries(files).map(([name, file]) => {
    if (!existsSync(file)) throw new Error(`missing ${file}`);
    const body = readFileSync(file);
    return { name, rawKB: KB(body.length), gzipKB: KB(gz(body)) };
  });
}

export async function runPageJs(siteDir: string, slugs: { publicSlug: string; premiumSlug: string }) {
  const keys = generateTestKeys();
  const port = options.port + 2;
  const server = await startServer(siteDir, port, serverEnv(keys, `http://127.0.0.1:${port}`));
  const browser = await chromium.launch(chromiumLaunchOptions());
  const clerk = clerkPackageScripts();
  const clerkGzip = clerk.reduce((sum, s) => sum + s.gzipKB, 0);
  const pages = [
    { page: 'public static article', path: `/articles/${slugs.publicSlug}/` },
    { page: 'gated premium article', path: `/members/${slugs.premiumSlug}/` },
    { page: 'home', path: '/' },
  ];
  const rows: PageJsRow[] = [];
  try {
    for (const reader of ['anonymous', 'signed-in'] as const) {
      const context = await browser.newContext();
      // Never leave the machine: Clerk's host and anything else off 127.0.0.1 is refused and recorded.
      const offsite: string[] = [];
      await context.route(
        (url) => url.hostname !== '127.0.0.1',
        (route) => {
          offsite.push(route.request().url());
          return route.abort();
        },
      );
      if (reader === 'signed-in') {
        const token = mintToken(keys, {
          azp: `http://127.0.0.1:${port}`,
          userId: 'user_bench_js',
          claims: { metadata: { tier: 'premium' } },
          exp: 3600,
        });
        const iat = Math.floor(Date.now() / 1000) - 10;
        await context.addCookies([
          { name: '__session', value: token, domain: '127.0.0.1', path: '/' },
          { name: '__client_uat', value: String(iat - 5), domain: '127.0.0.1', path: '/' },
        ]);
      }
      for (const p of pages) {
        const page = await context.newPage();
        const scripts: Request[] = [];
        page.on('requestfinished', (req) => {
          if (req.resourceType() === 'script') scripts.push(req);
        });
        offsite.length = 0;
        await page.goto(server.base + p.path, { waitUntil: 'networkidle' });
        await page.waitForTimeout(300);
        let raw = 0;
        let gzip = 0;
        for (const req of scripts) {
          const res = await req.response();
          const body = res ? await res.body().catch(() => Buffer.alloc(0)) : Buffer.alloc(0);
          raw += body.length;
          gzip += gz(body);
        }
        const inline = await page.evaluate(() =>
          [...document.querySelectorAll('script:not([src])')]
            .filter((s) => !/json/.test(s.getAttribute('type') ?? ''))
            .map((s) => s.textContent ?? '')
            .join('\n'),
        );
        const inlineGzipKB = inline ? KB(gz(Buffer.from(inline))) : 0;
        const clerkHostRequests = [
          ...new Set(
            offsite
              .filter((u) => new URL(u).hostname === FAPI_HOST)
              .map((u) => new URL(u).pathname.split('/').pop() ?? u),
          ),
        ];
        // The README's promise: anonymous readers download none of Clerk's browser code.
        if (reader === 'anonymous' && clerkHostRequests.length) {
          throw new Error(`anonymous ${p.path} asked Clerk's host for ${clerkHostRequests.join(', ')}`);
        }
        const clerkGzipKB = reader === 'signed-in' ? clerkGzip : 0;
        rows.push({
          reader,
          page: p.page,
          path: p.path,
          scripts: scripts.length,
          rawKB: KB(raw),
          gzipKB: KB(gzip),
          inlineGzipKB,
          clerkHostRequests,
          clerkGzipKB,
          totalGzipKB: Math.round((KB(gzip) + inlineGzipKB + clerkGzipKB) * 10) / 10,
        });
        await page.close();
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  return { rows, clerkPackageScripts: clerk };
}
