/**
 * The whole member journey in one browser test, through Clerk's real UI against the local stand-in:
 * an anonymous reader meets a members article's paywall, signs up (<SignUp/>, email code 424242), lands
 * back on the article and reads it; meets a premium article's paywall, goes to the plans, is upgraded
 * (through the stand-in's admin API, as an operator would) and "Back to the article" shows the full text
 * at once; shares it as a gift; a fresh browser with no cookies reads the gift link, and after the link
 * expires meets the preview and paywall again, with the expired note.
 *
 * The stand-in's server makes gift links that last GATEPOST_GIFT_LINK_SECONDS (playwright.config.ts),
 * so the expiry is a real wait of under a minute, on the server's own clock.
 */
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { loadCanaries, gatedSamples, type SourceArticle } from '../support/articles';
import { decodePayload } from '../support/clerk-session';
import {
  accountId,
  enterClerkCode,
  expectClerkPricingTable,
  fillClerkSignUp,
  pathPattern,
  setPublicMetadata,
  TEST_CODE,
  uniqueTestEmail,
} from '../support/standin.ts';

const canaries = loadCanaries();
const { membersArticle, premiumArticle, MEMBERS, PREMIUM } = gatedSamples();
const PASSWORD = 'a-journey-reader-password';
/** How long "at once" may take on a busy machine (as in standin-pricing.spec.ts). */
const UNLOCK_MS = 30_000;

/** The member-only sentence of the article (tests/fixtures/member-only-sentences.json). */
const fullText = (page: Page, article: SourceArticle) => page.getByText(canaries[article.slug]!);
/** The first sentence of the article's body: part of the public preview. */
const previewText = (page: Page, article: SourceArticle) =>
  page.getByText(article.body.trim().split('\n')[0]!.split('. ')[0]!);

async function sessionClaims(context: BrowserContext) {
  const token = (await context.cookies()).find((c) => c.name === '__session')?.value;
  return token ? decodePayload(token) : null;
}

/** What an anonymous or under-level reader sees: the title, the preview and the paywall, not the rest. */
async function expectPreviewAndPaywall(page: Page, article: SourceArticle, paywall: 'sign-in' | 'upgrade') {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(article.title);
  await expect(previewText(page, article)).toBeVisible();
  await expect(page.locator(`[data-paywall="${paywall}"]`)).toBeVisible();
  await expect(fullText(page, article)).toHaveCount(0);
}

async function expectFullText(page: Page, article: SourceArticle) {
  await expect(fullText(page, article)).toBeVisible();
  await expect(page.locator('[data-paywall]')).toHaveCount(0);
}

test('paywall, sign-up, members article, upgrade, premium article, gift link, expired gift', async ({
  page,
  context,
  browser,
}) => {
  // Clerk's UI several pages deep, two browser contexts and a gift link's lifetime waited out.
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const email = uniqueTestEmail('journey');

  await test.step('an anonymous reader meets the members paywall and signs up', async () => {
    await page.goto(MEMBERS);
    await expectPreviewAndPaywall(page, membersArticle, 'sign-in');
    await page.locator('[data-paywall="sign-in"]').getByRole('link', { name: 'Create a free account' }).click();
    await expect(page).toHaveURL(/\/sign-up\/?\?redirect_url=/);
    await fillClerkSignUp(page, email, PASSWORD);
    await expect(page.getByText('Verify your email')).toBeVisible();
    await enterClerkCode(page, TEST_CODE);
  });

  await test.step('back on the members article, with its full text', async () => {
    await expect(page).toHaveURL(pathPattern(MEMBERS), { timeout: 30_000 });
    await expectFullText(page, membersArticle);
    expect((await sessionClaims(context))?.metadata).toEqual({ tier: 'members' });
  });

  const userId = (await accountId(email))!;
  expect(userId).toBeTruthy();

  await test.step('the premium article asks the new member to upgrade; the link goes to the plans', async () => {
    await page.goto(PREMIUM);
    await expectPreviewAndPaywall(page, premiumArticle, 'upgrade');
    await expect(page.locator('[data-paywall="upgrade"]')).toContainText('You are signed in as a Members reader');
    await page.locator('[data-paywall="upgrade"]').getByRole('link', { name: 'See all plans' }).click();
    await expect(page).toHaveURL(`/pricing/?return=${encodeURIComponent(PREMIUM)}`);
    // Clerk's UI on the page is loaded (the back link's island hydrates with the session).
    await expectClerkPricingTable(page);
  });

  await test.step('upgraded in the stand-in, "Back to the article" shows the full text at once', async () => {
    await setPublicMetadata(userId, { tier: 'premium' });
    // The browser's token still says "members": without a refresh the server would show the paywall.
    expect((await sessionClaims(context))?.metadata).toEqual({ tier: 'members' });
    await page.getByRole('link', { name: /Back to the article/ }).click();
    await expect(fullText(page, premiumArticle)).toBeVisible({ timeout: UNLOCK_MS });
    await expect(page.locator('[data-paywall]')).toHaveCount(0);
    await expect(page).toHaveURL(pathPattern(PREMIUM));
    expect((await sessionClaims(context))?.metadata).toEqual({ tier: 'premium' });
  });

  const gift = await test.step('the premium reader shares the article as a gift', async () => {
    const share = page.getByRole('region', { name: 'Share this article' });
    const created = page.waitForResponse(
      (response) => new URL(response.url()).pathname === '/api/gift-links' && response.request().method() === 'POST',
    );
    await share.getByRole('button', { name: 'Share as a gift' }).click();
    const response = await created;
    expect(response.status()).toBe(200);
    const { expiresAt } = (await response.json()) as { expiresAt: string };
    const field = share.getByLabel(/Gift link, readable by anyone until/);
    await expect(field).toBeVisible();
    const url = await field.inputValue();
    expect(url).toMatch(new RegExp(`^${new URL(page.url()).origin}${PREMIUM}\\?gift=g1\\.`));
    return { url, expiresAt: Date.parse(expiresAt) };
  });
  // This server's links are short-lived (playwright.config.ts); a 14-day link would mean a wrong server.
  expect(gift.expiresAt - Date.now(), 'the stand-in server should make short gift links').toBeLessThan(60_000);

  const friend = await browser.newContext();
  try {
    const gifted = await friend.newPage();
    await test.step('a fresh browser, with no cookies, opens the gift link and reads the article', async () => {
      expect(await friend.cookies()).toEqual([]);
      await gifted.goto(gift.url);
      await expectFullText(gifted, premiumArticle);
      await expect(gifted.getByText(/A gift from a subscriber, readable until/)).toBeVisible();
      expect((await friend.cookies()).find((c) => c.name === '__session' && c.value)).toBeUndefined();
    });

    await test.step('the same link after it expired: the preview, the paywall and the expired note', async () => {
      // The server's clock is this machine's: wait until it is past the link's expiry.
      await gifted.waitForTimeout(Math.max(0, gift.expiresAt - Date.now()) + 1_000);
      await gifted.goto(gift.url);
      await expectPreviewAndPaywall(gifted, premiumArticle, 'sign-in');
      await expect(gifted.locator('[data-gift="expired"]')).toHaveText('This gift link has expired.');
    });
  } finally {
    await friend.close();
  }
  expect(errors).toEqual([]);
});
