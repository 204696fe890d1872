/** The site as a fresh clone runs it: no Clerk keys at all. Everything public works, sign-in explains itself. */
import { expect, test } from '@playwright/test';
import { publishedSourceArticles } from '../support/articles';

const premiumArticle = publishedSourceArticles().find((a) => a.access === 'premium')!;

test('gated pages show their preview and paywall without Clerk, with no errors', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  const response = await page.goto(`/members/${premiumArticle.slug}/`);
  expect(response?.status()).toBe(200);
  await expect(page.locator('[data-paywall="sign-in"]')).toBeVisible();
  await expect(page.getByTestId('sign-in-link')).toBeVisible();
  expect(errors).toEqual([]);
});

for (const path of ['/sign-in/', '/sign-up/', '/account/']) {
  test(`${path} explains how to configure Clerk`, async ({ page }) => {
    const response = await page.goto(path);
    expect(response?.status()).toBe(200);
    await expect(page.locator('[data-clerk-missing]')).toContainText('PUBLIC_CLERK_PUBLISHABLE_KEY');
  });
}

test('a stale Clerk cookie on a static page still shows "Sign in" when the server has no keys', async ({
  page,
  context,
  baseURL,
}) => {
  await context.addCookies([{ name: '__client_uat', value: '1732000000', url: baseURL! }]);
  await page.goto('/');
  await expect(page.getByTestId('sign-in-link')).toBeVisible();
});
