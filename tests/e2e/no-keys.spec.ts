/**
 * The site as `npm run build && npm run serve` runs it with no Clerk keys: everything public works, and
 * readers meet no sign-in promise anywhere (no "Sign in", no "Create account"): public articles, the
 * previews of gated ones with a plain members-only note, the pricing page. The operator's message is in
 * the server's log and on /readyz (tests/integration/no-keys.test.ts).
 */
import { expect, test, type Page } from '@playwright/test';
import { publishedSourceArticles } from '../support/articles';

const published = publishedSourceArticles();
const premiumArticle = published.find((a) => a.access === 'premium')!;
const membersArticle = published.find((a) => a.access === 'members')!;
const publicArticle = published.find((a) => a.access === 'public')!;
const PROMISES = /\b(sign in|sign up|create (a free |your )?account|subscribe)\b/i;

/** No visible link, button or text on the page promising an account. */
async function expectNoSignInPromise(page: Page) {
  // Static pages ask the server once whether sign-in is on before showing their link.
  await page.waitForLoadState('networkidle');
  await expect(page.getByTestId('sign-in-link')).toBeHidden();
  await expect(page.getByRole('link', { name: PROMISES })).toHaveCount(0);
  await expect(page.getByRole('button', { name: PROMISES })).toHaveCount(0);
  // What the page says around the articles (their own text may of course talk about signing in).
  const said = await page
    .locator('main')
    .evaluate((main) =>
      [...main.querySelectorAll(':scope *:not(.prose-article, .prose-article *)')]
        .flatMap((el) => [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent))
        .join(' '),
    );
  expect(said).not.toMatch(PROMISES);
}

test('gated pages show their preview and a plain members-only note, with no errors', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  for (const article of [premiumArticle, membersArticle]) {
    const response = await page.goto(`/members/${article.slug}/`);
    expect(response?.status()).toBe(200);
    const note = page.locator('[data-paywall="sign-in"]');
    await expect(note).toBeVisible();
    await expect(note.getByRole('heading')).toHaveText(
      article.access === 'members' ? 'This article is for members' : 'This article is for Premium subscribers',
    );
    await expectNoSignInPromise(page);
  }
  expect(errors).toEqual([]);
});

for (const path of ['/', `/articles/${publicArticle.slug}/`, '/articles/', '/pricing/']) {
  test(`${path} promises no sign-in`, async ({ page }) => {
    expect((await page.goto(path))?.status()).toBe(200);
    await expectNoSignInPromise(page);
  });
}

for (const path of ['/sign-in/', '/sign-up/', '/account/']) {
  test(`${path} says sign-in is not available, and nothing about keys`, async ({ page }) => {
    const response = await page.goto(path);
    expect(response?.status()).toBe(200);
    await expect(page.locator('[data-clerk-missing]')).toContainText('not available');
    await expect(page.locator('body')).not.toContainText('CLERK');
  });
}

test('a stale Clerk cookie on a static page shows no "Sign in" when the server has no keys', async ({
  page,
  context,
  baseURL,
}) => {
  await context.addCookies([{ name: '__client_uat', value: '1732000000', url: baseURL! }]);
  await page.goto('/');
  await expectNoSignInPromise(page);
});
