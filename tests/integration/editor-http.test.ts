/**
 * Editor desk and previews over HTTP against the built server. Editors are identified only from
 * Clerk session claims (public metadata roles) or an organization permission; everyone else gets the
 * ordinary 404 page on every editor route.
 */
import { describe, expect, it } from 'vitest';
import { loadSourceArticles } from '../support/articles';
import { mintToken, readerClaims, sessionCookie } from '../support/clerk-session';
import { loadCanaries, useKeyedServer } from '../support/fixtures';

const canaries = loadCanaries();
const articles = loadSourceArticles();
const draft = articles.find((a) => a.draft)!;
const scheduled = articles.find((a) => !a.draft && a.pubDate > new Date())!;
const published = articles.find((a) => !a.draft && a.pubDate <= new Date() && a.access === 'premium')!;
const readers = readerClaims();

const keyed = useKeyedServer();

const get = async (path: string, cookie?: string) => {
  const response = await fetch(`${keyed.server.url}${path}`, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
  return { response, html: await response.text() };
};
const editor = () => sessionCookie(mintToken(keyed.keys, readers.editor));
const orgEditor = () =>
  sessionCookie(
    mintToken(keyed.keys, {
      userId: 'user_org_editor',
      // Session token v2: org permissions are bits of the org features (`fea` with "o:" scope).
      claims: { v: 2, o: { id: 'org_press', slg: 'press', rol: 'editor', per: 'edit', fpm: '1' }, fea: 'o:articles' },
    }),
  );

const EDITOR_ROUTES = () => [
  '/editor/',
  '/editor/?state=draft',
  `/editor/preview/${draft.slug}/`,
  `/editor/preview/${published.slug}/?as=premium`,
  '/editor/asset/images/measuring-lcp-cover.png',
];

describe('the sample content', () => {
  it('has a draft and a scheduled article to preview', () => {
    expect(draft).toBeDefined();
    expect(scheduled).toBeDefined();
  });
});

describe('non-editors', () => {
  for (const [who, cookie] of [
    ['anonymous', () => undefined],
    ['a member', () => sessionCookie(mintToken(keyed.keys, readers.member))],
    ['a premium reader', () => sessionCookie(mintToken(keyed.keys, readers.premiumByMetadata))],
    [
      'a reader claiming editor in unsafe metadata',
      () => sessionCookie(mintToken(keyed.keys, { claims: { unsafe_metadata: { roles: ['editor'] } } })),
    ],
  ] as const) {
    it(`${who} gets the ordinary 404 page on every editor route`, async () => {
      for (const path of EDITOR_ROUTES()) {
        const { response, html } = await get(path, cookie());
        expect(response.status, path).toBe(404);
        expect(html).not.toContain(canaries[draft.slug]!);
        expect(html).not.toContain('Editor desk');
        if (!path.includes('/asset/')) expect(html).toContain("We couldn't find that page");
      }
    });
  }
});

describe('an editor', () => {
  it('sees every article on the desk with its state, scheduled ones with when they go live', async () => {
    const { response, html } = await get('/editor/', editor());
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(html).toContain('<meta name="robots" content="noindex">');
    for (const article of articles) expect(html).toContain(`data-row="${article.slug}"`);
    expect(html).toMatch(new RegExp(`data-row="${draft.slug}" data-state="draft"`));
    expect(html).toMatch(new RegExp(`data-row="${scheduled.slug}" data-state="scheduled"`));
    const scheduledRow = html.slice(html.indexOf(`data-row="${scheduled.slug}"`));
    expect(scheduledRow.slice(0, 2000)).toContain('goes live');
  });

  it('filters the desk by state and access level', async () => {
    const drafts = (await get('/editor/?state=draft', editor())).html;
    expect(drafts.match(/data-row="/g)).toHaveLength(articles.filter((a) => a.draft).length);
    const premium = (await get('/editor/?access=premium', editor())).html;
    expect(premium.match(/data-row="/g)).toHaveLength(articles.filter((a) => a.access === 'premium').length);
  });

  it('previews a draft in full with a visible line where the public preview ends', async () => {
    const { response, html } = await get(`/editor/preview/${draft.slug}/`, editor());
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(html).toContain('noindex');
    expect(html).toContain(canaries[draft.slug]!);
    expect(html).toContain('data-state="draft"');
  });

  it('previews a scheduled article and says when it goes live', async () => {
    const { html } = await get(`/editor/preview/${scheduled.slug}/`, editor());
    expect(html).toContain(canaries[scheduled.slug]!);
    expect(html).toContain('data-preview-line');
    expect(html).toContain('data-state="scheduled"');
  });

  it('switches the preview to each kind of reader to see each paywall', async () => {
    const path = `/editor/preview/${scheduled.slug}/`;
    const anonymous = (await get(`${path}?as=anonymous`, editor())).html;
    expect(anonymous).toContain('data-paywall="sign-in"');
    expect(anonymous).not.toContain(canaries[scheduled.slug]!);
    const member = (await get(`${path}?as=members`, editor())).html;
    expect(member).toContain('data-paywall="upgrade"');
    expect(member).not.toContain(canaries[scheduled.slug]!);
    const premium = (await get(`${path}?as=premium`, editor())).html;
    expect(premium).not.toContain('data-paywall');
    expect(premium).toContain(canaries[scheduled.slug]!);
    expect(premium).not.toContain('data-preview-line');
  });

  it('is also recognised through an organization permission', async () => {
    const { response } = await get('/editor/', orgEditor());
    expect(response.status).toBe(200);
  });

  it('gets article images, and nothing outside the content folder', async () => {
    const image = await get('/editor/asset/images/measuring-lcp-cover.png', editor());
    expect(image.response.status).toBe(200);
    expect(image.response.headers.get('content-type')).toBe('image/png');
    for (const path of [
      '/editor/asset/../../package.json',
      '/editor/asset/%2e%2e/%2e%2e/package.json',
      `/editor/asset/${draft.slug}.md`,
      '/editor/asset/images/missing.png',
    ]) {
      expect((await get(path, editor())).response.status, path).toBe(404);
    }
  });

  it('gets 404 for an unknown article', async () => {
    expect((await get('/editor/preview/no-such-article/', editor())).response.status).toBe(404);
  });
});

describe('unpublished articles stay out of everything public', () => {
  it('are absent from the RSS feed, sitemap and listings, and their members URLs are 404', async () => {
    const premium = sessionCookie(mintToken(keyed.keys, readers.premiumByMetadata));
    const rss = (await get('/rss.xml')).html;
    const sitemap = (await get('/sitemap.xml')).html;
    const listing =
      (await get('/articles/')).html + (await get('/articles/2/')).html + (await get('/articles/3/')).html;
    for (const article of [draft, scheduled]) {
      expect(rss).not.toContain(article.slug);
      expect(sitemap).not.toContain(article.slug);
      expect(listing).not.toContain(article.slug);
      const gated = await get(`/members/${article.slug}/`, premium);
      expect(gated.response.status).toBe(404);
      expect(gated.html).not.toContain(canaries[article.slug]!);
    }
  });
});
