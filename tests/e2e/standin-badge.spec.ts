/**
 * The demo build's badge: on every page, static and server-rendered, small enough for a 320 px screen,
 * never hiding the end of a page and never taking a click.
 */
import { expect, test } from '@playwright/test';
import { publishedSourceArticles } from '../support/articles';

const premiumArticle = publishedSourceArticles().find((a) => a.access === 'premium')!;

test.use({ viewport: { width: 320, height: 640 } });

for (const [kind, path] of [
  ['a static page', '/'],
  ['a server-rendered article', `/members/${premiumArticle.slug}/`],
  ['the sign-in page', '/sign-in/'],
] as const) {
  test(`says "Local demo sign-in, not Clerk" on ${kind}, within a 320 px screen`, async ({ page }) => {
    await page.goto(path);
    const badge = page.locator('[data-demo-signin]');
    await expect(badge).toHaveText('Local demo sign-in, not Clerk');
    await expect(badge).toBeInViewport({ ratio: 1 });
    const box = (await badge.boundingBox())!;
    expect(box.width).toBeLessThan(300);
    expect(box.height).toBeLessThanOrEqual(32);
    // Clicks go through to the page underneath.
    const hit = await page.evaluate(
      ([x, y]) => document.elementFromPoint(x!, y!)?.closest('[data-demo-signin]') !== null,
      [box.x + box.width / 2, box.y + box.height / 2],
    );
    expect(hit).toBe(false);

    // At the bottom of the page, the footer's last line is clear of it.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const footerText = page.locator('footer li').last();
    const footer = (await footerText.boundingBox())!;
    const badgeNow = (await badge.boundingBox())!;
    expect(footer.y + footer.height).toBeLessThanOrEqual(badgeNow.y);
  });
}
