/**
 * The Content-Security-Policy lets Clerk's real UI work and blocks everything else, on static and
 * server-rendered pages alike.
 */
import { expect, test, type Page } from '@playwright/test';
import { publishedSourceArticles } from '../support/articles';
import { signInContext } from '../support/browser-session';
import { readerClaims, sharedTestKeys } from '../support/clerk-session';
import { installFapiStub } from '../support/fapi-stub';

const keys = sharedTestKeys();
const membersArticle = publishedSourceArticles().find((a) => a.access === 'members')!;

function cspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

for (const path of ['/', `/members/${membersArticle.slug}/`, '/account/']) {
  test(`Clerk's UserButton works under the policy on ${path}`, async ({ page, context, baseURL }) => {
    const violations = cspViolations(page);
    const token = await signInContext(context, baseURL!, keys, readerClaims().member);
    await installFapiStub(context, {
      keys,
      origin: baseURL!,
      token,
      user: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
    });
    const response = await page.goto(path);
    expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await expect(page.getByTestId('account-menu').getByRole('button', { name: 'Open user menu' })).toBeVisible();
    expect(violations).toEqual([]);
  });
}

test('the policy blocks a script from anywhere else', async ({ page }) => {
  const violations = cspViolations(page);
  await page.goto('/');
  const ran = await page.evaluate(async () => {
    const script = document.createElement('script');
    script.src = 'https://evil.example/x.js';
    const blocked = new Promise<boolean>((resolve) => {
      document.addEventListener('securitypolicyviolation', () => resolve(true), { once: true });
      script.onload = () => resolve(false);
      setTimeout(() => resolve(false), 3000);
    });
    document.head.append(script);
    const inline = document.createElement('script');
    inline.textContent = 'window.__inlineRan = true';
    document.head.append(inline);
    return { blocked: await blocked, inlineRan: (window as { __inlineRan?: boolean }).__inlineRan === true };
  });
  expect(ran).toEqual({ blocked: true, inlineRan: false });
  expect(violations.length).toBeGreaterThan(0);
});
