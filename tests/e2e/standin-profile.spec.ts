/**
 * The account page as a reader meets it, with Clerk's real <UserProfile/> against the stand-in: words for
 * readers (no developer notes), Clerk's profile on the page's text column, and Clerk's components in the
 * site's colours in light and dark.
 */
import { expect, test, type Page } from '@playwright/test';
import { fillClerkSignIn } from '../support/standin.ts';

test.describe.configure({ timeout: 120_000 });

async function signIn(page: Page, email: string) {
  await page.goto('/sign-in/?redirect_url=%2Faccount%2F');
  await fillClerkSignIn(page, email);
  await expect(page).toHaveURL(/\/account\/?$/, { timeout: 30_000 });
  await expect(page.locator('.cl-userProfile-root')).toBeVisible({ timeout: 30_000 });
}

/**
 * The text colour of Clerk's section title and the background it is drawn on (the nearest ancestor with
 * one), as sRGB through a canvas (the browser may report lab() or oklch()); with their mean channel.
 */
const clerkColours = (page: Page) =>
  page
    .locator('.cl-profileSectionTitleText, .cl-headerTitle')
    .first()
    .evaluate((title) => {
      const rgb = (color: string) => {
        const ctx = document.createElement('canvas').getContext('2d')!;
        ctx.fillStyle = color;
        ctx.fillRect(0, 0, 1, 1);
        const [r, g, b, alpha] = ctx.getImageData(0, 0, 1, 1).data;
        return { mean: (r! + g! + b!) / 3, alpha: alpha! };
      };
      let el: Element | null = title;
      let background = rgb('transparent');
      while (el && background.alpha === 0) {
        background = rgb(getComputedStyle(el).backgroundColor);
        el = el.parentElement;
      }
      return { text: rgb(getComputedStyle(title).color).mean, background: background.mean };
    });

test("the account page speaks to readers: what they have and why, in plain words, and the organization's name or none", async ({
  page,
}) => {
  await signIn(page, 'team@gatepost.test');
  const membership = page.getByRole('region', { name: 'Membership' });
  await expect(membership).toContainText('Your access comes from:');
  const text = (await membership.innerText()).replace(/\s+/g, ' ');
  for (const note of ['Where it comes from', 'Set on your account', "what this site's sign-in offers", 'acme', '"']) {
    expect(text, note).not.toContain(note);
  }
});

for (const scheme of ['light', 'dark'] as const) {
  test(`Clerk's profile sits on the text column in the site's ${scheme} colours`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await signIn(page, 'member@gatepost.test');
    if (process.env.SCREENSHOT_DIR)
      await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/account-${scheme}.png`, fullPage: true });
    const heading = await page.getByRole('heading', { level: 1, name: 'Your account' }).boundingBox();
    const card = await page.locator('.cl-cardBox').first().boundingBox();
    const main = await page.locator('main').boundingBox();
    // Left edge on the heading's, no wider than the column.
    expect(Math.abs(card!.x - heading!.x)).toBeLessThanOrEqual(2);
    expect(card!.x + card!.width).toBeLessThanOrEqual(main!.x + main!.width + 1);
    // The primary colour and the card's background are the site's, for the reader's scheme.
    const primary = await page.evaluate(() =>
      getComputedStyle(document.documentElement).getPropertyValue('--clerk-color-primary').trim(),
    );
    // The site's green accent (the build writes it as lab()): darker on light pages, lighter on dark ones.
    const [, l, a] = primary.match(/^lab\(([\d.]+)%? (-?[\d.]+)/) ?? [];
    expect(Number(a), primary).toBeLessThan(-20);
    if (scheme === 'dark') expect(Number(l), primary).toBeGreaterThan(60);
    else expect(Number(l), primary).toBeLessThan(45);
    const colours = await clerkColours(page);
    if (scheme === 'dark') {
      // A dark card with light text (Clerk's default is a white card).
      expect(colours.background, JSON.stringify(colours)).toBeLessThan(70);
      expect(colours.text, JSON.stringify(colours)).toBeGreaterThan(180);
    } else {
      expect(colours.background, JSON.stringify(colours)).toBeGreaterThan(230);
      expect(colours.text, JSON.stringify(colours)).toBeLessThan(80);
    }
  });
}
