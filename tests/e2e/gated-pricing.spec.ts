/**
 * The pricing page with Clerk Billing off and no Premium settings, on a server with sign-in (the `gated`
 * project's keys): it promises only what exists, creates accounts, and leads back to the article that
 * sent the reader, same-site paths only. (Billing on: standin-pricing.spec.ts; without keys the site
 * promises no sign-in at all: no-keys.spec.ts.)
 */
import { expect, test } from '@playwright/test';
import { publishedSourceArticles } from '../support/articles';
import { DEFAULT_PREMIUM_NOTE } from '../../src/site/pricing';
import { PLANS } from '../../src/gate/membership';

const premiumArticle = publishedSourceArticles().find((a) => a.access === 'premium')!;
const ARTICLE = `/members/${premiumArticle.slug}/`;

// Several page loads per test: give a busy machine room.
test.describe.configure({ timeout: 90_000 });

test('the plans lead back to the article that sent the reader', async ({ page }) => {
  // Premium is not sold here, so the paywall offers sign-in only; the pricing page is reached by its link.
  await page.goto(ARTICLE);
  await expect(page.locator('[data-paywall]').getByRole('link', { name: /Subscribe/ })).toHaveCount(0);
  await page.goto(`/pricing/?return=${encodeURIComponent(ARTICLE)}`);
  await expect(
    page.locator('[data-plan="members"]').getByRole('link', { name: 'Create a free account' }),
  ).toHaveAttribute('href', `/sign-up/?redirect_url=${encodeURIComponent(ARTICLE)}`);
  await page.getByRole('link', { name: /Back to the article/ }).click();
  await expect(page).toHaveURL(`${ARTICLE}?session=refresh`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(premiumArticle.title);
  // An anonymous reader has no token to refresh: the marker changes nothing, the paywall shows.
  await expect(page.locator('[data-paywall="sign-in"]')).toBeVisible();
});

test('without Billing or Premium settings the page shows no price, no checkout and no invented perk', async ({
  page,
}) => {
  await page.goto('/pricing/');
  const premium = page.locator('[data-plan="premium"]');
  await expect(premium).toBeVisible();
  await expect(premium.locator('[data-premium-note]')).toHaveText(DEFAULT_PREMIUM_NOTE);
  await expect(premium.locator('[data-premium-checkout]')).toHaveCount(0);
  await expect(page.locator('a[href^="mailto:"]')).toHaveCount(0);
  const text = await page.locator('main').innerText();
  expect(text).not.toMatch(/\$|€|£|per month|\/ month/i);
  expect(text).not.toMatch(/coming soon|digest|comment/i);
  for (const perk of [...PLANS.members.perks, ...PLANS.premium.perks]) expect(text).toContain(perk);
  // No article to go back to.
  await expect(page.getByRole('link', { name: /Back to the article/ })).toHaveCount(0);
});

for (const offsite of [
  'https://evil.example/members/x/',
  '//evil.example/members/x/',
  '/\\evil.example/',
  'javascript:alert(1)',
]) {
  test(`an off-site return (${offsite}) gives no way back and no off-site link`, async ({ page }) => {
    await page.goto(`/pricing/?return=${encodeURIComponent(offsite)}`);
    await expect(page.locator('[data-plan="premium"]')).toBeVisible();
    await expect(page.getByRole('link', { name: /Back to the article/ })).toHaveCount(0);
    await expect(page.locator('[data-plan="members"]').getByRole('link')).toHaveAttribute(
      'href',
      `/sign-up/?redirect_url=${encodeURIComponent('/pricing/')}`,
    );
    const hrefs = await page.locator('a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href')!));
    expect(hrefs.filter((href) => href.includes('evil.example') || href.startsWith('javascript:'))).toEqual([]);
  });
}
