/**
 * From the premium paywall to reading the article, as a new reader does it in the demo (Clerk Billing on,
 * Clerk's real sign-up and checkout against the stand-in), counting the clicks: at most 3, plus the
 * sign-up form (its fields, Continue and the email code) and Clerk's checkout (Pay, Continue).
 * Also what the pricing page offers a reader who is not signed in.
 */
import { expect, test, type Page } from '@playwright/test';
import { DEMO_PLANS } from '@gatepost/clerk-standin';
import { loadCanaries, publishedSourceArticles } from '../support/articles';
import {
  accountId,
  enterClerkCode,
  fillClerkSignUp,
  pathPattern,
  signInFromPaywall,
  TEST_CODE,
  uniqueTestEmail,
} from '../support/standin.ts';

// Sign-up, then Clerk's checkout, through Clerk's real UI: slow on a busy machine.
test.describe.configure({ timeout: 150_000 });

const canaries = loadCanaries();
const premiumArticle = publishedSourceArticles().find((a) => a.access === 'premium')!;
const PREMIUM = `/members/${premiumArticle.slug}/`;
const premiumPlan = DEMO_PLANS.find((p) => p.slug === 'premium')!;
const fullText = (page: Page) => page.getByText(canaries[premiumArticle.slug]!);
const MAX_CLICKS = 3;

test('an anonymous reader on a premium article reads it unlocked after at most 3 clicks, sign-up and checkout', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  let clicks = 0;
  /** A click the reader makes outside the sign-up form and the checkout. */
  const click = async (target: ReturnType<Page['locator']>) => {
    clicks += 1;
    await target.click();
  };

  await page.goto(PREMIUM);
  const paywall = page.locator('[data-paywall="sign-in"]');
  // The paywall sells: it names Premium, shows Billing's price and what the plan includes.
  await expect(paywall.getByRole('heading', { level: 2 })).toContainText('Premium');
  await expect(paywall.locator('[data-paywall-price]')).toHaveText(`$${premiumPlan.fee / 100} a month`);
  for (const feature of premiumPlan.features) await expect(paywall.getByText(feature.name)).toBeVisible();
  // Subscribing is the first button; signing in the second.
  await expect(paywall.locator('[data-paywall-primary]')).toHaveText('Subscribe to Premium');
  await expect(paywall.locator('[data-paywall-secondary]')).toHaveText('Sign in');

  await click(paywall.locator('[data-paywall-primary]'));
  // Sign-up first (not sign-in), coming back to the checkout step.
  await expect(page).toHaveURL(/\/sign-up\/?\?redirect_url=/);
  const email = uniqueTestEmail('three-clicks');
  await fillClerkSignUp(page, email, 'a-new-subscriber-password');
  await enterClerkCode(page, TEST_CODE);

  // Clerk navigates to the path without its trailing slash; the server redirects to the canonical one.
  await expect(page).toHaveURL(/\/pricing\/?\?checkout=premium&return=/, { timeout: 30_000 });
  const step = page.locator('[data-checkout-step="premium"]');
  await expect(step.locator('[data-plan-price]')).toHaveText(`$${premiumPlan.fee / 100} a month`);
  const pay = step.getByRole('button', { name: 'Continue to payment' });
  await expect(pay).toBeEnabled({ timeout: 20_000 });
  await click(pay);

  // Clerk's checkout: the saved demo card, then Clerk's "Continue" back to the article.
  const drawer = page.locator('.cl-checkout-root');
  await drawer.getByRole('button', { name: /^Pay \$5\.00/ }).click();
  await drawer.getByRole('button', { name: 'Continue' }).click();

  await expect(fullText(page)).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('[data-paywall]')).toHaveCount(0);
  await expect(page).toHaveURL(pathPattern(PREMIUM));
  expect(clicks).toBeLessThanOrEqual(MAX_CLICKS);
  expect(await accountId(email)).toBeDefined();
  expect(errors).toEqual([]);
});

test("a members reader's paywall subscribes straight from the article: checkout step, pay, unlocked", async ({
  page,
}) => {
  // A fresh account, so subscribing it cannot disturb the seeded ones.
  const email = uniqueTestEmail('upgrade');
  await page.goto(`/sign-up/?redirect_url=${encodeURIComponent(PREMIUM)}`);
  await fillClerkSignUp(page, email, 'a-members-reader-password');
  await enterClerkCode(page, TEST_CODE);
  await expect(page).toHaveURL(pathPattern(PREMIUM), { timeout: 30_000 });

  const paywall = page.locator('[data-paywall="upgrade"]');
  await expect(paywall.getByRole('heading', { level: 2 })).toHaveText('Upgrade to Premium to keep reading');
  await paywall.locator('[data-paywall-primary]').click();
  await expect(page).toHaveURL(`/pricing/?checkout=premium&return=${encodeURIComponent(PREMIUM)}`);
  const pay = page.getByRole('button', { name: 'Continue to payment' });
  await expect(pay).toBeEnabled({ timeout: 20_000 });
  await pay.click();
  const drawer = page.locator('.cl-checkout-root');
  await drawer.getByRole('button', { name: /^Pay \$5\.00/ }).click();
  await drawer.getByRole('button', { name: 'Continue' }).click();
  await expect(fullText(page)).toBeVisible({ timeout: 30_000 });
  await expect(page).toHaveURL(pathPattern(PREMIUM));
});

test('the pricing page: Subscribe leads a reader who is not signed in to sign-up; the free plan has no Subscribe', async ({
  page,
}) => {
  await page.goto(`/pricing/?return=${encodeURIComponent(PREMIUM)}`);
  const free = page.locator(`[data-plan="${DEMO_PLANS.find((p) => p.fee === 0)!.slug}"]`);
  await expect(free).toBeVisible();
  await expect(free.getByRole('link', { name: /Subscribe/ })).toHaveCount(0);
  await expect(free.getByRole('link', { name: 'Create a free account' })).toHaveAttribute(
    'href',
    `/sign-up/?redirect_url=${encodeURIComponent(PREMIUM)}`,
  );

  await page.locator('[data-plan="premium"]').getByRole('link', { name: 'Subscribe to Premium' }).click();
  await expect(page).toHaveURL(/\/sign-up\/?\?redirect_url=/);
  const target = new URL(page.url()).searchParams.get('redirect_url');
  expect(target).toBe(`/pricing/?checkout=premium&return=${encodeURIComponent(PREMIUM)}`);
  await expect(page.locator('.cl-signUp-root')).toBeVisible({ timeout: 20_000 });
});

test('a subscriber who already has Premium is told so on the checkout step, with no payment button', async ({
  page,
}) => {
  await signInFromPaywall(page, PREMIUM, 'premium@gatepost.test');
  await page.goto(`/pricing/?checkout=premium&return=${encodeURIComponent(PREMIUM)}`);
  await expect(page.locator('[data-plan-held]')).toHaveText('Your account has Premium.');
  await expect(page.getByRole('button', { name: 'Continue to payment' })).toHaveCount(0);
});
