/**
 * The header's account menu in a real browser, running Clerk's real browser code (clerk-js and @clerk/ui
 * from npm) against a stand-in for Clerk's Frontend API (tests/support/fapi-stub.ts).
 *
 * - Anonymous readers get a plain "Sign in" link, and static pages don't load Clerk at all for them.
 * - A signed-in member gets Clerk's own UserButton on static and server-rendered pages alike; its menu
 *   shows who is signed in and offers "Manage account" and "Sign out", and signing out works.
 */
import { expect, test, type Page } from '@playwright/test';
import { publishedSourceArticles } from '../support/articles';
import { signInContext } from '../support/browser-session';
import { FAPI_HOST, readerClaims, sharedTestKeys } from '../support/clerk-session';
import { installFapiStub, type StubUser } from '../support/fapi-stub';

const keys = sharedTestKeys();
const membersArticle = publishedSourceArticles().find((a) => a.access === 'members');
if (!membersArticle) throw new Error('this suite needs a published members-only article');
const GATED = `/members/${membersArticle.slug}/`;
const MEMBER: StubUser = { firstName: 'Mara', lastName: 'Okafor', email: 'mara@example.com' };

/** Uncaught exceptions thrown in the page. */
function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.stack ?? error.message));
  return errors;
}

/** Every request the page makes to Clerk's Frontend API host. */
function clerkRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).hostname === FAPI_HOST) urls.push(request.url());
  });
  return urls;
}

const signInLink = (page: Page) => page.getByTestId('sign-in-link');
const accountMenu = (page: Page) => page.getByTestId('account-menu');
const userButton = (page: Page) => accountMenu(page).getByRole('button', { name: 'Open user menu' });
const accountPanel = (page: Page) => page.getByRole('dialog', { name: 'Account panel' });
/** The header's island, hydrated once Astro has removed its `ssr` marker. */
const hydratedMenuIsland = (page: Page) => page.locator('[data-account-menu] astro-island:not([ssr])');
/**
 * For a reader without a session the island stays server-rendered (`client:session`): wait for the page
 * to settle, then check it was never hydrated and that no JavaScript of the island (React) was fetched.
 */
async function expectMenuNotHydrated(page: Page, scripts: string[]) {
  await page.waitForLoadState('networkidle');
  await expect(page.locator('[data-account-menu] astro-island[ssr]')).toHaveCount(1);
  await expect(hydratedMenuIsland(page)).toHaveCount(0);
  expect(scripts.filter((url) => /AccountMenu|react|client\./.test(url))).toEqual([]);
}

/** Every script the page downloads. */
function scriptRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script') urls.push(request.url());
  });
  return urls;
}

test.describe('anonymous reader', () => {
  test('sees "Sign in" on a static page, and Clerk is never loaded', async ({ page, context, baseURL }) => {
    const errors = pageErrors(page);
    const requests = clerkRequests(page);
    await installFapiStub(context, { keys, origin: baseURL! });

    const scripts = scriptRequests(page);
    await page.goto('/');
    await expectMenuNotHydrated(page, scripts);

    await expect(signInLink(page)).toHaveText('Sign in');
    await expect(signInLink(page)).toHaveAttribute('href', /^\/sign-in/);
    await expect(accountMenu(page)).toHaveCount(0);
    expect(requests).toEqual([]);
    expect(await page.evaluate(() => 'Clerk' in window)).toBe(false);
    expect(errors).toEqual([]);
  });

  test('sees "Sign in" on a server-rendered members page, and Clerk is never loaded', async ({
    page,
    context,
    baseURL,
  }) => {
    const errors = pageErrors(page);
    const requests = clerkRequests(page);
    await installFapiStub(context, { keys, origin: baseURL! });

    const scripts = scriptRequests(page);
    await page.goto(GATED);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(membersArticle.title);
    await expectMenuNotHydrated(page, scripts);

    await expect(signInLink(page)).toHaveText('Sign in');
    await expect(accountMenu(page)).toHaveCount(0);
    // Clerk's middleware would inject clerk-js and Clerk's UI into every server-rendered page; Gatepost
    // opts out (src/middleware.ts), so a reader without a session downloads nothing from Clerk.
    expect(requests).toEqual([]);
    expect(await page.evaluate(() => 'Clerk' in window)).toBe(false);
    expect(errors).toEqual([]);
  });
});

test.describe('signed-in member', () => {
  for (const [kind, path] of [
    ['a static page', '/'],
    ['a server-rendered members page', GATED],
  ] as const) {
    test(`sees Clerk's UserButton on ${kind}; its menu offers "Manage account" and "Sign out"`, async ({
      page,
      context,
      baseURL,
    }) => {
      const errors = pageErrors(page);
      const token = await signInContext(context, baseURL!, keys, readerClaims().member);
      await installFapiStub(context, { keys, origin: baseURL!, user: MEMBER, token });

      await page.goto(path);
      if (path === GATED) await expect(page.getByRole('heading', { level: 1 })).toHaveText(membersArticle.title);
      await expect(userButton(page)).toBeVisible({ timeout: 10_000 });
      await expect(signInLink(page)).toHaveCount(0);

      await userButton(page).click();
      const panel = accountPanel(page);
      await expect(panel).toBeVisible();
      await expect(panel.getByText(`${MEMBER.firstName} ${MEMBER.lastName}`)).toBeVisible();
      await expect(panel.getByText(MEMBER.email)).toBeVisible();
      await expect(panel.getByRole('button', { name: 'Manage account' })).toBeVisible();
      await expect(panel.getByRole('button', { name: 'Sign out' })).toBeVisible();
      expect(errors).toEqual([]);
    });
  }

  test('signs out from a members page: back on the home page with "Sign in", and Clerk is no longer loaded', async ({
    page,
    context,
    baseURL,
  }) => {
    const errors = pageErrors(page);
    const token = await signInContext(context, baseURL!, keys, readerClaims().member);
    await installFapiStub(context, { keys, origin: baseURL!, user: MEMBER, token });

    await page.goto(GATED);
    await userButton(page).click();
    await accountPanel(page).getByRole('button', { name: 'Sign out' }).click();
    // Clerk's default after-sign-out destination (the site configures no other) is the home page.
    await expect(page).toHaveURL(`${baseURL}/`);
    await page.waitForLoadState('networkidle');
    await expect(signInLink(page)).toHaveText('Sign in');
    await expect(accountMenu(page)).toHaveCount(0);
    expect(await page.evaluate(() => 'Clerk' in window)).toBe(false);
    const cookies = new Map((await context.cookies(baseURL!)).map((c) => [c.name, c.value]));
    expect(cookies.has('__session')).toBe(false);
    expect(cookies.get('__client_uat')).toBe('0');

    // Another visit: no request to Clerk from a static page, and the server sees a visitor too.
    const requests = clerkRequests(page);
    const scripts = scriptRequests(page);
    await page.goto('/articles/');
    await expectMenuNotHydrated(page, scripts);
    await expect(signInLink(page)).toBeVisible();
    expect(requests).toEqual([]);
    await page.goto(GATED);
    await expect(signInLink(page)).toBeVisible();
    await expect(accountMenu(page)).toHaveCount(0);
    expect(errors).toEqual([]);
  });
});
