/** Search for signed-in readers in a real browser: premium readers find members-only words, members do not. */
import { expect, test, type BrowserContext } from '@playwright/test';
import { loadCanaries, publishedSourceArticles } from '../support/articles';
import { signInContext } from '../support/browser-session';
import { FAPI_HOST, readerClaims, sharedTestKeys, type TokenOptions } from '../support/clerk-session';

const keys = sharedTestKeys();
const readers = readerClaims();
const canaries = loadCanaries();
const premiumArticle = publishedSourceArticles().find((a) => a.access === 'premium' && canaries[a.slug])!;
const phrase = `"${canaries[premiumArticle.slug]}"`;

const signIn = (context: BrowserContext, baseURL: string, reader: TokenOptions) =>
  signInContext(context, baseURL, keys, reader);

test.beforeEach(async ({ context }) => {
  await context.route(`https://${FAPI_HOST}/**`, (route) => route.abort());
});

test('a premium reader finds a premium article by its members-only sentence, from the header box', async ({
  page,
  context,
  baseURL,
}) => {
  await signIn(context, baseURL!, readers.premiumByMetadata);
  await page.goto('/');
  await page.getByRole('search', { name: 'Site search' }).getByRole('searchbox').fill(phrase);
  await page.keyboard.press('Enter');
  const hit = page.locator(`[data-search-hit="${premiumArticle.slug}"]`);
  await expect(hit).toBeVisible();
  await expect(hit.locator('[data-access="premium"]')).toBeVisible();
  await hit.getByRole('link').click();
  await expect(page).toHaveURL(`/members/${premiumArticle.slug}/`);
  await expect(page.getByText(canaries[premiumArticle.slug]!)).toBeVisible();
});

test('a members-tier reader searching the same sentence finds nothing', async ({ page, context, baseURL }) => {
  await signIn(context, baseURL!, readers.member);
  const response = await page.goto(`/search/?q=${encodeURIComponent(phrase)}`);
  expect(response?.headers()['cache-control']).toBe('private, no-store');
  await expect(page.getByText('No articles match.')).toBeVisible();
  await expect(page.locator('[data-search-hit]')).toHaveCount(0);
});
