/**
 * Gated pages in a real browser, with real Clerk session cookies verified by the built server.
 * Clerk's browser scripts are blocked here (no Clerk servers offline); the account menu with Clerk's
 * real UI is covered by account-menu.spec.ts.
 */
import { expect, test, type BrowserContext } from '@playwright/test';
import { loadCanaries, publishedSourceArticles } from '../support/articles';
import { signInContext } from '../support/browser-session';
import { FAPI_HOST, readerClaims, sharedTestKeys, type TokenOptions } from '../support/clerk-session';

const keys = sharedTestKeys();
const readers = readerClaims();
const canaries = loadCanaries();
const published = publishedSourceArticles();
const membersArticle = published.find((a) => a.access === 'members')!;
const premiumArticle = published.find((a) => a.access === 'premium')!;

const signIn = (context: BrowserContext, baseURL: string, reader: TokenOptions) =>
  signInContext(context, baseURL, keys, reader);

test.beforeEach(async ({ context }) => {
  await context.route(`https://${FAPI_HOST}/**`, (route) => route.abort());
});

test('an anonymous reader gets the preview, a paywall, and a sign-in link that comes back', async ({ page }) => {
  const response = await page.goto(`/members/${premiumArticle.slug}/`);
  expect(response?.status()).toBe(200);
  expect(response?.headers()['cache-control']).toBe('private, no-store');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(premiumArticle.title);
  const paywall = page.getByRole('region', { name: /Keep reading/ });
  await expect(paywall).toBeVisible();
  await expect(page.getByText(canaries[premiumArticle.slug]!)).toHaveCount(0);
  await paywall.getByRole('link', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`/sign-in/?redirect_url=${encodeURIComponent(`/members/${premiumArticle.slug}/`)}`);
});

test('a member reads members articles in full and is asked to upgrade for premium ones', async ({
  page,
  context,
  baseURL,
}) => {
  await signIn(context, baseURL!, readers.member);
  await page.goto(`/members/${membersArticle.slug}/`);
  await expect(page.getByText(canaries[membersArticle.slug]!)).toBeVisible();
  await expect(page.locator('[data-paywall]')).toHaveCount(0);

  await page.goto(`/members/${premiumArticle.slug}/`);
  await expect(page.getByText(canaries[premiumArticle.slug]!)).toHaveCount(0);
  const paywall = page.getByRole('region', { name: 'Upgrade to Premium to keep reading' });
  await expect(paywall).toContainText('You are signed in as a Members reader');
  // Premium is not sold on this server (no Billing, no Premium settings): no checkout is promised.
  await expect(paywall.getByRole('link', { name: /Subscribe/ })).toHaveCount(0);
  await expect(paywall.getByRole('link', { name: 'Sign in' })).toHaveCount(0);
});

for (const reader of ['premiumByMetadata', 'premiumByPlan', 'premiumByOrgPlan', 'premiumByOrgMetadata'] as const) {
  test(`premium through ${reader} reads premium articles in full`, async ({ page, context, baseURL }) => {
    await signIn(context, baseURL!, readers[reader]);
    await page.goto(`/members/${premiumArticle.slug}/`);
    await expect(page.getByText(canaries[premiumArticle.slug]!)).toBeVisible();
    await expect(page.locator('[data-paywall]')).toHaveCount(0);
  });
}

test('a tier claimed in unsafe metadata unlocks nothing', async ({ page, context, baseURL }) => {
  await signIn(context, baseURL!, readers.unsafeMetadataPremium);
  await page.goto(`/members/${premiumArticle.slug}/?tier=premium`);
  await expect(page.locator('[data-paywall="upgrade"]')).toBeVisible();
  await expect(page.getByText(canaries[premiumArticle.slug]!)).toHaveCount(0);
});

test('an expired session on navigation is sent to Clerk to refresh, never shown the article', async ({
  page,
  context,
  baseURL,
}) => {
  await signIn(context, baseURL!, { ...readers.premiumByMetadata, iat: -900, nbf: -900, exp: -300 });
  const handshake = page.waitForRequest((request) =>
    request.url().startsWith(`https://${FAPI_HOST}/v1/client/handshake`),
  );
  await page.goto(`/members/${premiumArticle.slug}/`).catch(() => undefined);
  expect((await handshake).url()).toContain('redirect_url=');
});

test('signed-out readers are sent from their account page to sign in, and back', async ({ page }) => {
  await page.goto('/account/');
  await expect(page).toHaveURL('/sign-in/?redirect_url=%2Faccount%2F');
  await expect(page.getByRole('heading', { name: 'Sign in to Gatepost' })).toBeVisible();
});
