import { expect, test } from '@playwright/test';
import { XMLParser } from 'fast-xml-parser';
import { loadSourceArticles, publishedSourceArticles } from '../support/articles';

const published = publishedSourceArticles();
const PAGE_SIZE = 6;
const pathOf = (a: { slug: string; access: string }) =>
  a.access === 'public' ? `/articles/${a.slug}/` : `/members/${a.slug}/`;

test('home shows the featured article and the latest ones, and leads to an article', async ({ page }) => {
  await page.goto('/');
  const featured = published.find((a) => a.featured) ?? published[0]!;
  const featuredSection = page.getByRole('region', { name: 'Featured' });
  await expect(featuredSection.getByRole('heading', { name: featured.title })).toBeVisible();

  const latest = page.getByRole('region', { name: 'Latest' });
  const firstPublic = published.find((a) => a.access === 'public' && a !== featured)!;
  await latest.getByRole('link', { name: firstPublic.title, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/articles/${firstPublic.slug}/$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(firstPublic.title);
  await expect(page.locator('.prose-article')).not.toBeEmpty();
  await expect(page).toHaveTitle(`${firstPublic.title} · Gatepost`);
});

test('gated articles are listed with a lock badge naming their level, their teaser and their members URL', async ({
  page,
}) => {
  await page.goto('/articles/');
  const gated = published.filter((a) => a.access !== 'public');
  expect(gated.length).toBeGreaterThan(0);
  for (let n = 1; n <= Math.ceil(published.length / PAGE_SIZE); n++) {
    if (n > 1) await page.goto(`/articles/${n}/`);
    for (const article of published.slice((n - 1) * PAGE_SIZE, n * PAGE_SIZE)) {
      const card = page.locator(`[data-article="${article.slug}"]`);
      await expect(card.getByRole('link', { name: article.title, exact: true })).toHaveAttribute(
        'href',
        pathOf(article),
      );
      await expect(card.getByText(article.description, { exact: true })).toBeVisible();
      const badge = card.locator('[data-access]').filter({ hasText: /Members|Premium/ });
      if (article.access === 'public') await expect(badge).toHaveCount(0);
      else await expect(badge).toContainText(article.access === 'premium' ? 'Premium' : 'Members');
    }
  }
});

test('the article index paginates newest first and every page links to its neighbours', async ({ page }) => {
  const lastPage = Math.ceil(published.length / PAGE_SIZE);
  expect(lastPage).toBeGreaterThan(1);
  await page.goto('/articles/');
  const seen: string[] = [];
  for (let n = 1; n <= lastPage; n++) {
    await expect(page.getByText(`page ${n} of ${lastPage}`)).toBeVisible();
    const slugs = await page
      .locator('[data-article]')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-article')!));
    expect(slugs).toEqual(published.slice((n - 1) * PAGE_SIZE, n * PAGE_SIZE).map((a) => a.slug));
    seen.push(...slugs);
    const nav = page.getByRole('navigation', { name: 'Pagination' });
    await expect(nav.locator('[aria-current="page"]')).toContainText(String(n));
    if (n === 1) await expect(nav.getByRole('link', { name: /Newer/ })).toHaveCount(0);
    if (n < lastPage) await nav.getByRole('link', { name: /Older/ }).click();
    else await expect(nav.getByRole('link', { name: /Older/ })).toHaveCount(0);
  }
  expect(seen).toEqual(published.map((a) => a.slug));
});

test('tag index and tag pages list exactly the articles with that tag', async ({ page }) => {
  const tags = [...new Set(published.flatMap((a) => a.tags))].sort();
  await page.goto('/tags/');
  for (const tag of tags) await expect(page.getByRole('link', { name: new RegExp(`^#${tag}\\b`) })).toBeVisible();

  const tag = tags.reduce((best, t) =>
    published.filter((a) => a.tags.includes(t)).length > published.filter((a) => a.tags.includes(best)).length
      ? t
      : best,
  );
  await page.getByRole('link', { name: new RegExp(`^#${tag}\\b`) }).click();
  await expect(page).toHaveURL(new RegExp(`/tags/${tag}/$`));
  await expect(page.getByRole('heading', { level: 1 })).toContainText(`#${tag}`);
  const slugs = await page
    .locator('[data-article]')
    .evaluateAll((els) => els.map((el) => el.getAttribute('data-article')));
  expect(slugs).toEqual(published.filter((a) => a.tags.includes(tag)).map((a) => a.slug));
});

test('unknown pages answer 404 with a helpful page', async ({ page }) => {
  for (const path of ['/no-such-page', '/articles/no-such-article/', '/tags/no-such-tag/']) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole('heading', { name: "We couldn't find that page" })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Browse articles' })).toBeVisible();
  }
});

test('drafts and gated bodies have no public article page', async ({ request }) => {
  for (const article of publishedSourceArticles().filter((a) => a.access !== 'public')) {
    expect((await request.get(`/articles/${article.slug}/`)).status()).toBe(404);
  }
});

test('the RSS feed parses as XML and lists every published article, gated ones by metadata only', async ({
  request,
}) => {
  const response = await request.get('/rss.xml');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toMatch(/xml/);
  const xml = await response.text();
  const feed = new XMLParser({ ignoreAttributes: false }).parse(xml);
  const items = [feed.rss.channel.item].flat();
  expect(items.map((i: { title: string }) => i.title)).toEqual(published.map((a) => a.title));
  for (const [i, article] of published.entries()) {
    const item = items[i];
    expect(item.description).toBe(article.description);
    expect(item.link).toBe(`http://localhost:4321${pathOf(article)}`);
    expect(Object.keys(item).sort()).toEqual(
      article.tags.length
        ? ['category', 'description', 'guid', 'link', 'pubDate', 'title']
        : ['description', 'guid', 'link', 'pubDate', 'title'],
    );
  }
});

test('the sitemap lists every public page and gated article URL, and no drafts', async ({ request }) => {
  const xml = await (await request.get('/sitemap.xml')).text();
  const urls = [new XMLParser().parse(xml).urlset.url].flat().map((u: { loc: string }) => new URL(u.loc).pathname);
  for (const article of published) expect(urls).toContain(pathOf(article));
  expect(urls).toEqual(expect.arrayContaining(['/', '/articles/', '/tags/', '/about/']));
  for (const draft of loadSourceArticles().filter((a) => a.draft)) expect(urls.join(' ')).not.toContain(draft.slug);
});
