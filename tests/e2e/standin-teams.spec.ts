/**
 * Teams through Clerk's real <OrganizationSwitcher/> and <OrganizationProfile/> against the local
 * stand-in. Sessions start with no active organization (as in Clerk); a reader whose only organization
 * unlocks more gets it active after signing in, and switching changes what the next page load reads.
 */
import { expect, test, type Page } from '@playwright/test';
import { loadCanaries, publishedSourceArticles } from '../support/articles';
import { fillClerkSignIn, pathPattern, signInFromPaywall } from '../support/standin.ts';

// Clerk's UI is loaded on demand and several pages deep; give a busy machine time (no sleeps anywhere).
test.describe.configure({ timeout: 120_000 });

const canaries = loadCanaries();
const premiumArticle = publishedSourceArticles().find((a) => a.access === 'premium')!;
const PREMIUM = `/members/${premiumArticle.slug}/`;
const fullText = (page: Page) => page.getByText(canaries[premiumArticle.slug]!);
/** Clerk's UI loads on demand; the machine may be busy. */
const CLERK_UI = { timeout: 20_000 };

async function switchTo(page: Page, account: RegExp) {
  await page.goto('/account/');
  const trigger = page.getByRole('button', { name: 'Open organization switcher' });
  await expect(trigger).toBeVisible(CLERK_UI);
  await trigger.click();
  await page.getByRole('group', { name: 'List of all accounts' }).getByRole('button', { name: account }).click();
  // The switcher goes back to the account page, rendered by the server with the new session token.
  await expect(page).toHaveURL(pathPattern('/account/'));
}

test('team@ reads premium through its organization, loses it on its personal account, and gets it back', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));

  // Signed in from the paywall: the only organization becomes active without a manual switch.
  await signInFromPaywall(page, PREMIUM, 'team@gatepost.test');
  await expect(fullText(page)).toBeVisible(CLERK_UI);
  await expect(page.locator('[data-paywall]')).toHaveCount(0);

  await page.goto('/account/');
  // The organization's name once the members' store knows it (the demo's first sync), its role before.
  await expect(page.locator('[data-tier="premium"]')).toContainText(/through (Acme Newsroom|your organization)/);
  await expect(page.locator('[data-tier-sources]')).toContainText(/The Team plan of (Acme Newsroom|your organization)/);

  await switchTo(page, /Personal account/);
  await expect(page.locator('[data-tier="members"]')).toBeVisible();
  await page.goto(PREMIUM);
  await expect(page.locator('[data-paywall="upgrade"]')).toBeVisible();
  await expect(fullText(page)).toHaveCount(0);
  // The choice sticks: no automatic switch back on the next pages.
  await page.reload();
  await expect(page.locator('[data-paywall="upgrade"]')).toBeVisible();

  await switchTo(page, /Acme Newsroom/);
  await expect(page.locator('[data-tier="premium"]')).toBeVisible();
  await page.goto(PREMIUM);
  await expect(fullText(page)).toBeVisible();
  expect(errors).toEqual([]);
});

/**
 * Records, in this tab, any moment a paywall is visible (checked on every DOM change, on every page), so a
 * test can say a reader never saw one however briefly. Recording starts once `gp:watch-paywall` is set.
 */
async function watchPaywalls(page: Page) {
  await page.addInitScript(() => {
    const check = () => {
      if (sessionStorage.getItem('gp:watch-paywall') !== 'on') return;
      for (const paywall of document.querySelectorAll('[data-paywall]')) {
        if (paywall.checkVisibility()) sessionStorage.setItem('gp:paywall-seen', location.href);
      }
    };
    new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
  });
}

test('team@ signing in on a premium article never sees the paywall its organization lifts', async ({ page }) => {
  await watchPaywalls(page);
  await page.goto(PREMIUM);
  await page.locator('[data-paywall="sign-in"]').getByRole('link', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/sign-in\/?\?redirect_url=/);
  // From here on, any paywall shown counts: the first page after sign-in is rendered without the
  // organization (Clerk starts sessions without one) and must wait for the switch, not show its paywall.
  await page.evaluate(() => sessionStorage.setItem('gp:watch-paywall', 'on'));
  await fillClerkSignIn(page, 'team@gatepost.test');
  await expect(fullText(page)).toBeVisible({ timeout: 30_000 });
  expect(await page.evaluate(() => sessionStorage.getItem('gp:paywall-seen'))).toBeNull();
});

test('a signed-in reader without an organization gets the upgrade paywall after the access check', async ({ page }) => {
  await signInFromPaywall(page, PREMIUM, 'member@gatepost.test');
  // The server rendered it inside the check; it shows once the browser knows no organization applies.
  await expect(page.locator('[data-paywall="upgrade"]')).toBeVisible(CLERK_UI);
  await expect(page.locator('[data-access-check]')).toHaveCount(0);
  await expect(fullText(page)).toHaveCount(0);
});

test('an organization admin opens the organization page and sees its members', async ({ page }) => {
  await signInFromPaywall(page, PREMIUM, 'owner@gatepost.test');
  await expect(fullText(page)).toBeVisible(CLERK_UI);

  await page.goto('/account/');
  await page.locator('[data-account-link="organization"]').click();
  await expect(page).toHaveURL(pathPattern('/account/organization/'));
  const profile = page.locator('.cl-organizationProfile-root');
  await expect(profile).toBeVisible(CLERK_UI);
  await profile.getByRole('button', { name: 'Members' }).click();
  await expect(profile.getByText('team@gatepost.test')).toBeVisible(CLERK_UI);
  await expect(profile.getByText('owner@gatepost.test')).toBeVisible();
  // Admins may invite.
  await expect(profile.getByRole('button', { name: 'Invite' })).toBeVisible();
});

test('an organization made active in a tab without focus stays active on the next pages', async ({ page }) => {
  // A background tab: clerk-js then makes the switch in this tab's token only, unless Gatepost records it.
  await page.addInitScript(() => {
    Document.prototype.hasFocus = () => false;
  });
  await signInFromPaywall(page, PREMIUM, 'owner@gatepost.test');
  await expect(fullText(page)).toBeVisible(CLERK_UI);

  // A new page's clerk-js reads the session from the Frontend API and writes the token from what it says.
  await page.goto('/account/');
  await expect(page.locator('.cl-userProfile-root')).toBeVisible(CLERK_UI);
  await page.goto(PREMIUM);
  await expect(fullText(page)).toBeVisible(CLERK_UI);
  await page.goto('/account/organization/');
  await expect(page.locator('.cl-organizationProfile-root')).toBeVisible(CLERK_UI);
});

test('a reader without an organization gets no switcher', async ({ page }) => {
  await signInFromPaywall(page, PREMIUM, 'premium@gatepost.test');
  await page.goto('/account/');
  await expect(page.locator('.cl-userProfile-root')).toBeVisible(CLERK_UI);
  await expect(page.locator('[data-organization-panel]')).toHaveCount(0);
  await expect(page.locator('[data-account-link="security"]')).toHaveAttribute('href', '/account/security');
});

test('a switch whose token is overwritten by the personal one is repaired before the reader sees a paywall', async ({
  page,
}) => {
  // The race this covers: a token refresh clerk-js scheduled before the switch lands after it and puts
  // the personal account's token back in the cookie. Here the switch's own token (in the touch answer)
  // and the next token asked for the organization are both replaced by the personal account's token,
  // so the page reloaded after the switch is rendered without the organization, twice over.
  const replaced = { touch: 0, tokens: 0 };
  const personalToken = async (sessionUrl: string) => {
    const url = sessionUrl.replace(/\/(touch|tokens)(?=\?|$)/, '/tokens');
    const answer = await page.request.post(url, { form: { organization_id: '' } });
    return ((await answer.json()) as { jwt: string }).jwt;
  };
  await page.route('**/v1/client/sessions/*/touch*', async (route) => {
    const body = route.request().postData() ?? '';
    if (replaced.touch > 0 || !/active_organization_id=org_/.test(body)) return route.fallback();
    replaced.touch += 1;
    const response = await route.fetch();
    const text = await response.text();
    const organizationToken = (JSON.parse(text) as { response: { last_active_token: { jwt: string } } }).response
      .last_active_token.jwt;
    const personal = await personalToken(route.request().url());
    await route.fulfill({ response, body: text.replaceAll(organizationToken, personal) });
  });
  await page.route('**/v1/client/sessions/*/tokens*', async (route) => {
    const body = route.request().postData() ?? '';
    if (replaced.touch === 0 || replaced.tokens > 0 || !/organization_id=org_/.test(body)) return route.fallback();
    replaced.tokens += 1;
    const response = await route.fetch({ postData: body.replace(/organization_id=org_[^&]*/, 'organization_id=') });
    await route.fulfill({ response });
  });

  await signInFromPaywall(page, PREMIUM, 'team@gatepost.test');
  await expect(fullText(page)).toBeVisible(CLERK_UI);
  await expect(page.locator('[data-paywall]')).toHaveCount(0);
  expect(replaced).toEqual({ touch: 1, tokens: 1 });
});
