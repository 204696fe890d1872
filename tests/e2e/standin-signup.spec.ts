/**
 * Signing up through Clerk's real <SignUp/> against the local stand-in: from a members article's
 * paywall to an account (email + password, then the test-mode email code 424242), back on the article
 * with its full text. A wrong code gets Clerk's error and signs nobody in.
 */
import { expect, test } from '@playwright/test';
import { loadCanaries, publishedSourceArticles } from '../support/articles';
import {
  accountExists,
  enterClerkCode,
  fillClerkSignUp,
  pathPattern,
  TEST_CODE,
  uniqueTestEmail,
} from '../support/standin.ts';

// Clerk's UI is loaded on demand and several pages deep; give a busy machine time (no sleeps anywhere).
test.describe.configure({ timeout: 120_000 });

const canaries = loadCanaries();
const membersArticle = publishedSourceArticles().find((a) => a.access === 'members')!;
const MEMBERS = `/members/${membersArticle.slug}/`;
const PASSWORD = 'a-new-reader-password';

test('a visitor signs up from the paywall, verifies the email code and reads the article', async ({
  page,
  context,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const email = uniqueTestEmail('signup');

  await page.goto(MEMBERS);
  await expect(page.getByText(canaries[membersArticle.slug]!)).toHaveCount(0);
  await page.locator('[data-paywall="sign-in"]').getByRole('link', { name: 'Create a free account' }).click();
  await expect(page).toHaveURL(/\/sign-up\/?\?redirect_url=/);
  await fillClerkSignUp(page, email, PASSWORD);

  // Clerk's code card: a wrong code is refused, with Clerk's message, and nobody is signed in.
  await expect(page.getByText('Verify your email')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText(email)).toBeVisible();
  await enterClerkCode(page, '111111');
  await expect(page.locator('.cl-signUp-root .cl-otpCodeFieldErrorText')).toHaveText('Incorrect code');
  expect((await context.cookies()).find((c) => c.name === '__session' && c.value)).toBeUndefined();
  expect(await accountExists(email)).toBe(false);

  // The test-mode code creates the account and lands back on the article, unlocked.
  await enterClerkCode(page, TEST_CODE);
  await expect(page).toHaveURL(pathPattern(MEMBERS), { timeout: 30_000 });
  await expect(page.getByText(canaries[membersArticle.slug]!)).toBeVisible();
  await expect(page.locator('[data-paywall]')).toHaveCount(0);
  expect(await accountExists(email)).toBe(true);

  // The new account starts at the members level, from its own metadata.
  await page.goto('/account/');
  await expect(page.locator('[data-tier="members"]')).toContainText('Members');
  await expect(page.locator('[data-tier-sources]')).toContainText('Access given to you by our team');
  expect(errors).toEqual([]);
});

test('the sign-up page keeps only same-site return paths', async ({ page }) => {
  await page.goto(`/sign-up/?redirect_url=${encodeURIComponent('https://evil.example/')}`);
  await fillClerkSignUp(page, uniqueTestEmail('away'), PASSWORD);
  await enterClerkCode(page, TEST_CODE);
  // Not to the other site: home, the fallback.
  await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/$/, { timeout: 30_000 });
});
