/** The editor desk and previews in a real browser, signed in through Clerk session cookies. */
import { expect, test, type BrowserContext } from '@playwright/test';
import { loadSourceArticles } from '../support/articles';
import { signInContext } from '../support/browser-session';
import { FAPI_HOST, readerClaims, sharedTestKeys, type TokenOptions } from '../support/clerk-session';

const keys = sharedTestKeys();
const readers = readerClaims();
const scheduled = loadSourceArticles().find((a) => !a.draft && a.pubDate > new Date() && a.access !== 'public')!;

const signIn = (context: BrowserContext, baseURL: string, reader: TokenOptions) =>
  signInContext(context, baseURL, keys, reader);

test.beforeEach(async ({ context }) => {
  await context.route(`https://${FAPI_HOST}/**`, (route) => route.abort());
});

test('an editor finds a scheduled article on the desk, previews it and checks each paywall', async ({
  page,
  context,
  baseURL,
}) => {
  await signIn(context, baseURL!, readers.editor);
  await page.goto('/editor/');
  await expect(page.getByRole('heading', { name: 'Editor desk' })).toBeVisible();

  await page.getByLabel('State').selectOption('scheduled');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/state=scheduled/);
  const row = page.locator(`[data-row="${scheduled.slug}"]`);
  await expect(row).toContainText('goes live');
  await row.getByRole('link', { name: scheduled.title }).click();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText(scheduled.title);
  await expect(page.getByRole('complementary', { name: 'Preview controls' })).toContainText('Scheduled');
  await expect(page.getByRole('separator')).toContainText('Public preview ends here');

  const viewAs = page.getByRole('navigation', { name: 'Preview as' });
  await viewAs.getByRole('link', { name: 'Anonymous reader' }).click();
  await expect(page.getByRole('region', { name: /Keep reading/ })).toBeVisible();
  await viewAs.getByRole('link', { name: 'Member', exact: true }).click();
  await expect(page.getByRole('region', { name: /Upgrade to Premium/ })).toBeVisible();
  await viewAs.getByRole('link', { name: 'Premium', exact: true }).click();
  await expect(page.locator('[data-paywall]')).toHaveCount(0);
  await expect(page.getByRole('separator')).toHaveCount(0);
});

test('a member who guesses the desk URL sees the ordinary 404 page', async ({ page, context, baseURL }) => {
  await signIn(context, baseURL!, readers.member);
  const response = await page.goto('/editor/');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: "We couldn't find that page" })).toBeVisible();
});

test('on a 390×844 phone the desk fits the screen: no sideways scrolling, each cell named by its column', async ({
  page,
  context,
  baseURL,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(context, baseURL!, readers.editor);
  await page.goto('/editor/');
  await expect(page.getByRole('heading', { name: 'Editor desk' })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const row = page.locator('[data-desk] tbody tr').first();
  const rowBox = await row.boundingBox();
  expect(rowBox!.x + rowBox!.width).toBeLessThanOrEqual(390);
  // Without the table's header row on screen, each cell says which column it is.
  const state = row.locator('td[data-label="State"]');
  const label = await state.evaluate((cell) => getComputedStyle(cell, '::before').content);
  // Chromium reports the rule (`attr(data-label) ": "`) or its value; "none" means no label.
  expect(label).toMatch(/State|attr\(data-label\)/);
});
