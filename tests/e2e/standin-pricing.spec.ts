/**
 * The upgrade round trip against the local stand-in, with Clerk Billing on (the demo build turns it on)
 * and Clerk's real clerk-js and UI:
 *
 * - Clerk's <PricingTable/> renders the plans the stand-in's instance is configured with for a signed-in
 *   reader; a reader who is not signed in gets the same plans as the server read them from Billing;
 * - a checkout with the saved demo card subscribes the reader, and Clerk's "Continue" returns to the
 *   article, unlocked;
 * - an upgrade made in the stand-in (as an operator would in Clerk's dashboard) followed by "Back to the
 *   article" shows the full text at once, not when the 60-second session token runs out.
 *
 * Each test creates its own account, so upgrading it cannot disturb other tests.
 */
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { loadCanaries, publishedSourceArticles } from '../support/articles';
import { decodePayload } from '../support/clerk-session';
import { DEMO_PLANS } from '@gatepost/clerk-standin';
import {
  createUser,
  expectClerkPricingTable,
  pathPattern,
  setPublicMetadata,
  signInFromPaywall,
  stats,
  uniqueEmail,
} from '../support/standin.ts';

const canaries = loadCanaries();
const premiumArticle = publishedSourceArticles().find((a) => a.access === 'premium')!;
const PREMIUM = `/members/${premiumArticle.slug}/`;
/**
 * These readers' tokens last ten minutes, so clerk-js cannot refresh them on its own during a test: only
 * the refresh under test can show the upgrade within UNLOCK_MS.
 */
const TOKEN_LIFETIME_S = 600;
const UNLOCK_MS = 30_000;

// Signing in through Clerk's real UI, then the pricing table: slow on a busy machine.
test.describe.configure({ timeout: 120_000 });

const fullText = (page: Page) => page.getByText(canaries[premiumArticle.slug]!);

async function sessionClaims(context: BrowserContext) {
  const token = (await context.cookies()).find((c) => c.name === '__session')?.value;
  return token ? decodePayload(token) : null;
}

/** A members-level reader on the premium article's paywall, then on the plans through "See all plans". */
async function toPricingFromPaywall(page: Page, label: string) {
  const user = await createUser({
    email: uniqueEmail(label),
    publicMetadata: { tier: 'members' },
    tokenLifetime: TOKEN_LIFETIME_S,
  });
  await signInFromPaywall(page, PREMIUM, user.email);
  // Clerk may land on the article without its trailing slash (both are served); the way back is the
  // article's own path either way.
  await page.locator('[data-paywall="upgrade"]').getByRole('link', { name: 'See all plans' }).click();
  await expect(page).toHaveURL(`/pricing/?return=${encodeURIComponent(PREMIUM)}`);
  return user;
}

test("the plans configured in the stand-in: the server's cards signed out, Clerk's pricing table signed in", async ({
  page,
}) => {
  await page.goto('/pricing/');
  // Signed out: the plans as the server read them from Billing, and no Clerk script at all.
  for (const plan of DEMO_PLANS) {
    const card = page.locator(`[data-plan="${plan.slug}"]`);
    await expect(card.getByRole('heading', { name: plan.name })).toBeVisible();
    for (const feature of plan.features) await expect(card.getByText(feature.name)).toBeVisible();
  }
  const premium = DEMO_PLANS.find((p) => p.slug === 'premium')!;
  await expect(page.locator('[data-plan="premium"] [data-plan-price]')).toHaveText(`$${premium.fee / 100} a month`);
  await expect(page.locator('.cl-pricingTable-root')).toHaveCount(0);

  await signInFromPaywall(page, PREMIUM, 'member@gatepost.test');
  await page.goto('/pricing/');
  const table = await expectClerkPricingTable(page);
  for (const plan of DEMO_PLANS) {
    await expect(table.getByText(plan.name, { exact: true })).toBeVisible();
    for (const feature of plan.features) await expect(table.getByText(feature.name)).toBeVisible();
  }
  await expect(table.locator('.cl-pricingTableCard').filter({ hasText: premium.name })).toContainText(
    `$${premium.fee / 100}`,
  );
  // Clerk's table replaces the server's cards.
  await expect(page.locator('[data-plan]')).toHaveCount(0);
  expect((await stats()).unhandled.filter((call) => call.includes('/billing'))).toEqual([]);
});

test('subscribing in the pricing table with the saved demo card returns to the article, unlocked', async ({
  page,
  context,
}) => {
  await toPricingFromPaywall(page, 'checkout');
  const table = await expectClerkPricingTable(page);
  const premiumCard = table.locator('.cl-pricingTableCard').filter({ hasText: 'Premium' });
  await premiumCard.getByRole('button', { name: /Subscribe|Get started|Switch to this plan/ }).click();

  const drawer = page.locator('.cl-checkout-root');
  await drawer.getByRole('button', { name: /^Pay \$5\.00/ }).click();
  await drawer.getByRole('button', { name: 'Continue' }).click();

  await expect(fullText(page)).toBeVisible({ timeout: 15_000 });
  await expect(page.locator('[data-paywall]')).toHaveCount(0);
  // Clerk's "Continue" opened the marked article; once used, the marker is gone from the address bar.
  await expect(page).toHaveURL(pathPattern(PREMIUM));
  // Granted by the plan, through Clerk's `pla` claim (`has({ plan: 'premium' })`), not by metadata.
  const claims = (await sessionClaims(context))!;
  expect(claims.pla).toContain('u:premium');
  expect(claims.metadata).toEqual({ tier: 'members' });
});

test('an upgrade in the stand-in, then "Back to the article": the full text at once', async ({ page, context }) => {
  const user = await toPricingFromPaywall(page, 'back');
  const back = page.getByRole('link', { name: /Back to the article/ });
  await expect(back).toBeVisible();
  // Clerk's UI on the page is loaded (the back link's island hydrates with the session).
  await expectClerkPricingTable(page);

  await setPublicMetadata(user.id, { tier: 'premium' });
  // The browser's token still says "members": without a refresh the server would show the paywall.
  expect((await sessionClaims(context))?.metadata).toEqual({ tier: 'members' });

  await back.click();
  await expect(fullText(page)).toBeVisible({ timeout: UNLOCK_MS });
  await expect(page.locator('[data-paywall]')).toHaveCount(0);
  await expect(page).toHaveURL(pathPattern(PREMIUM));
  expect((await sessionClaims(context))?.metadata).toEqual({ tier: 'premium' });
});

test('the refresh marker alone (no click handler) refreshes the token before the reader sees the paywall', async ({
  page,
  context,
}) => {
  const user = await toPricingFromPaywall(page, 'marker');
  await setPublicMetadata(user.id, { tier: 'premium' });
  expect((await sessionClaims(context))?.metadata).toEqual({ tier: 'members' });

  // As if the link were opened in a new tab: the marker makes the article page ask Clerk for a fresh token.
  await page.goto(`${PREMIUM}?session=refresh`);
  await expect(fullText(page)).toBeVisible({ timeout: UNLOCK_MS });
  await expect(page).toHaveURL(pathPattern(PREMIUM));
});

test('the marker grants nothing: without an upgrade the paywall stays, after one reload', async ({ page }) => {
  await toPricingFromPaywall(page, 'no-upgrade');
  const reloads: string[] = [];
  page.on('framenavigated', (frame) => frame === page.mainFrame() && reloads.push(frame.url()));
  await page.goto(`${PREMIUM}?session=refresh`);
  await expect(page).toHaveURL(pathPattern(PREMIUM));
  await expect(page.locator('[data-paywall="upgrade"]')).toBeVisible();
  await expect(page.getByRole('status')).toHaveCount(0);
  await expect(fullText(page)).toHaveCount(0);
  // The marked page, then the page without it: no loop.
  await page.waitForTimeout(2000);
  expect(reloads.map((url) => new URL(url).search)).toEqual(['?session=refresh', '']);
});
