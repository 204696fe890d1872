/**
 * Gift links in a real browser: a premium reader clicks Share, gets a link, and a fresh browser context
 * (no session) opens it and reads the full text. Clerk's browser scripts are blocked (offline).
 */
import { expect, test } from '@playwright/test';
import { loadCanaries, publishedSourceArticles } from '../support/articles';
import { signInContext } from '../support/browser-session';
import { FAPI_HOST, readerClaims, sharedTestKeys } from '../support/clerk-session';

const keys = sharedTestKeys();
const readers = readerClaims();
const canaries = loadCanaries();
const premiumArticle = publishedSourceArticles().find((a) => a.access === 'premium')!;

test('a premium reader shares an article and a fresh browser reads it in full', async ({ browser, baseURL }) => {
  // Two browser contexts and four page loads: more than one ordinary test's budget on a busy machine.
  test.slow();
  const giver = await browser.newContext();
  await giver.route(`https://${FAPI_HOST}/**`, (route) => route.abort());
  await signInContext(giver, baseURL!, keys, { ...readers.premiumByMetadata, userId: 'user_e2e_gift' });
  const page = await giver.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) errors.push(message.text());
  });
  await page.goto(`${baseURL}/members/${premiumArticle.slug}/`);
  await expect(page.getByText(canaries[premiumArticle.slug]!)).toBeVisible();

  const share = page.getByRole('region', { name: 'Share this article' });
  await share.getByRole('button', { name: 'Share as a gift' }).click();
  // Dates one way across the site (src/site/dates.ts): "December 19, 2026", as article dates.
  const field = share.getByLabel(/Gift link, readable by anyone until [A-Z][a-z]+ \d{1,2}, \d{4}$/);
  await expect(field).toBeVisible();
  await expect(share.getByRole('button', { name: 'Copy' })).toBeVisible();
  const url = await field.inputValue();
  expect(url).toMatch(new RegExp(`^${baseURL}/members/${premiumArticle.slug}/\\?gift=g1\\.`));
  expect(errors).toEqual([]);
  await giver.close();

  const friend = await browser.newContext();
  await friend.route(`https://${FAPI_HOST}/**`, (route) => route.abort());
  const gifted = await friend.newPage();
  const response = await gifted.goto(url);
  expect(response?.headers()['cache-control']).toBe('private, no-store');
  await expect(gifted.getByText(canaries[premiumArticle.slug]!)).toBeVisible();
  await expect(gifted.getByText(/A gift from a subscriber, readable until/)).toBeVisible();
  await expect(gifted.getByRole('link', { name: 'Create account' })).toBeVisible();
  await expect(gifted.locator('[data-paywall]')).toHaveCount(0);

  // The same article without the token: the paywall again.
  await gifted.goto(`${baseURL}/members/${premiumArticle.slug}/`);
  await expect(gifted.getByText(canaries[premiumArticle.slug]!)).toHaveCount(0);
  await expect(gifted.locator('[data-paywall]')).toBeVisible();
  await friend.close();
});
