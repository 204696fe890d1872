/**
 * Unusual and broken content: the build either succeeds and serves it correctly, or fails with a
 * precise message. Never a silently public gated article.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTestKeys, mintToken, readerClaims, serverEnv, sessionCookie } from '../support/clerk-session';
import { scanForLeaks } from '../support/leak-scan';
import { buildProject, scratchCopy } from '../support/scratch';
import { startServer, type RunningServer } from '../support/server';
import { ARTICLES_DIR } from '../../src/articles/folder';

const article = (front: Record<string, string>, body: string) =>
  `---\n${Object.entries(front)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n')}\n---\n\n${body}\n`;

const RTL_SECRET = 'The members part of the right to left article says the vault opens at seven';
const UNICODE_SLUG = 'café-crème';
const RTL_SLUG = 'مقالة-للأعضاء';

describe('unusual content that must build and serve correctly', () => {
  let dir: string;
  let result: { status: number | null; output: string };
  let server: RunningServer;
  const keys = generateTestKeys();

  beforeAll(async () => {
    dir = scratchCopy('gatepost-odd-content-');
    const paragraph = 'Performance budgets only work when someone owns them and checks them every week. ';
    const huge = Array.from({ length: 1100 }, (_, i) => `## Section ${i + 1}\n\n${paragraph.repeat(10)}`).join('\n\n');
    writeFileSync(
      join(dir, ARTICLES_DIR, 'a-very-long-article.md'),
      article(
        {
          title: '"A very long article"',
          description: '"Over a megabyte of Markdown, to prove size is no problem."',
          pubDate: '2026-01-02',
          author: 'Test',
          access: 'public',
        },
        huge,
      ),
    );
    writeFileSync(
      join(dir, ARTICLES_DIR, `${UNICODE_SLUG}.md`),
      article(
        {
          title: '"Café crème, a unicode slug"',
          description: '"An article whose file name has accented letters in it."',
          pubDate: '2026-01-03',
          author: 'Test',
          access: 'public',
        },
        'Accents in URLs are fine when they are encoded properly.',
      ),
    );
    writeFileSync(
      join(dir, ARTICLES_DIR, `${RTL_SLUG}.md`),
      article(
        {
          title: '"مقالة للأعضاء"',
          description: '"An article for members whose slug is written right to left."',
          pubDate: '2026-01-04',
          author: 'Test',
          access: 'members',
        },
        `هذه مقدمة عامة يراها الجميع.\n\n<!-- members-only -->\n\n${RTL_SECRET}.`,
      ),
    );
    result = buildProject(dir);
    if (result.status === 0) {
      server = await startServer({ ...serverEnv(keys, 'http://127.0.0.1'), GATEPOST_DIST_DIR: join(dir, 'dist') });
    }
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds', () => {
    expect(result.status, result.output.slice(-3000)).toBe(0);
  });

  it('serves a 1 MB article in full', async () => {
    const response = await fetch(`${server.url}/articles/a-very-long-article/`);
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html.length).toBeGreaterThan(1_000_000);
    expect(html).toContain('Section 1100');
  });

  it('serves unicode and right-to-left slugs at their encoded URLs', async () => {
    const cafe = await fetch(`${server.url}/articles/${encodeURIComponent(UNICODE_SLUG)}/`);
    expect(cafe.status).toBe(200);
    expect(await cafe.text()).toContain('Café crème, a unicode slug');
    const rtl = await fetch(`${server.url}/members/${encodeURIComponent(RTL_SLUG)}/`);
    const html = await rtl.text();
    expect(rtl.status).toBe(200);
    expect(html).toContain('data-paywall="sign-in"');
    expect(html).toContain('هذه مقدمة عامة');
    expect(html).not.toContain(RTL_SECRET);
  });

  it('keeps the right-to-left article gated: full text for members, nowhere in static files', async () => {
    const member = await fetch(`${server.url}/members/${encodeURIComponent(RTL_SLUG)}/`, {
      headers: { cookie: sessionCookie(mintToken(keys, readerClaims().member)) },
    });
    expect(await member.text()).toContain(RTL_SECRET);
    expect(scanForLeaks(join(dir, 'dist/client'), [RTL_SECRET]).leaks).toEqual([]);
  });
});

describe('broken content that must fail the build precisely', () => {
  it('a missing cover image names the article and the file', () => {
    const dir = scratchCopy('gatepost-missing-cover-');
    try {
      writeFileSync(
        join(dir, ARTICLES_DIR, 'missing-cover.md'),
        article(
          {
            title: '"Missing cover"',
            description: '"This article points at a cover image that does not exist."',
            pubDate: '2026-01-02',
            author: 'Test',
            access: 'premium',
            cover: '\n  src: ./images/no-such-image.png\n  alt: "A picture that is not there"',
          },
          'Intro.\n\n<!-- members-only -->\n\nSecret.',
        ),
      );
      const { status, output } = buildProject(dir);
      expect(status).not.toBe(0);
      expect(output).toContain('missing-cover.md');
      expect(output).toContain('no-such-image.png');
      expect(output).toContain('cover.src');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 200_000);
});
