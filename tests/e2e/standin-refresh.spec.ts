/**
 * Session refresh against the local stand-in, with Clerk's real clerk-js:
 *
 * - a tier change made in the stand-in (as an operator would through Clerk's dashboard or Backend API)
 *   lifts the paywall once the session token is refreshed;
 * - a session keeps working through many refresh cycles. These accounts get 5-second tokens, so fifty
 *   seconds of activity take ten refreshes: as many as ten minutes with Clerk's 60-second tokens;
 * - a page load with an expired token goes through the server's handshake redirect to the stand-in,
 *   which sets fresh cookies on the site and sends the reader back to the article.
 *
 * Each test creates its own account through the stand-in's admin API, so changing it cannot disturb
 * other tests running in parallel with the seeded accounts.
 */
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { loadCanaries, gatedSamples } from '../support/articles';
import { decodePayload } from '../support/clerk-session';
import { createUser, setPublicMetadata, signInFromPaywall, stats, uniqueEmail } from '../support/standin.ts';

const canaries = loadCanaries();
const { membersArticle, premiumArticle, MEMBERS, PREMIUM } = gatedSamples();
const TOKEN_LIFETIME = 5;

const fullText = (page: Page, slug: string) => page.getByText(canaries[slug]!);

async function sessionClaims(context: BrowserContext) {
  const token = (await context.cookies()).find((c) => c.name === '__session')?.value;
  return token ? decodePayload(token) : null;
}

// Each test signs in (up to 30 s on a busy machine) and then waits on tokens: more than the default 30 s.
test.describe.configure({ timeout: 90_000 });

test('upgrading a member in the stand-in lifts the paywall once the session refreshes', async ({ page, context }) => {
  const user = await createUser({
    email: uniqueEmail('upgrade'),
    publicMetadata: { tier: 'members' },
    tokenLifetime: TOKEN_LIFETIME,
  });
  await signInFromPaywall(page, PREMIUM, user.email);
  await expect(page.locator('[data-paywall="upgrade"]')).toContainText('You are signed in as a Members reader');
  expect((await sessionClaims(context))?.metadata).toEqual({ tier: 'members' });

  await setPublicMetadata(user.id, { tier: 'premium' });

  // The token clerk-js holds still says "members" until its next refresh; then every page load has it.
  await expect(async () => {
    expect((await sessionClaims(context))?.metadata).toEqual({ tier: 'premium' });
  }).toPass({ timeout: 30_000 });
  await page.reload();
  await expect(fullText(page, premiumArticle.slug)).toBeVisible();
  await expect(page.locator('[data-paywall]')).toHaveCount(0);
});

test('a member still reads after ten token refreshes (as many as ten minutes of Clerk tokens)', async ({ page }) => {
  test.setTimeout(150_000);
  const user = await createUser({ email: uniqueEmail('refresh'), tokenLifetime: TOKEN_LIFETIME });
  await signInFromPaywall(page, MEMBERS, user.email);
  await expect(fullText(page, membersArticle.slug)).toBeVisible();
  const before = (await stats()).tokensByUser[user.id] ?? 0;

  // Reading and moving between pages for a minute: Clerk refreshes the token in the background and,
  // when a page load catches an expired one, through the server's handshake.
  const deadline = Date.now() + 10 * TOKEN_LIFETIME * 1000;
  let visits = 0;
  while (Date.now() < deadline) {
    await page.waitForTimeout(TOKEN_LIFETIME * 1000);
    await page.goto(visits % 3 === 2 ? '/articles/' : MEMBERS);
    if (visits % 3 !== 2) {
      await expect(fullText(page, membersArticle.slug)).toBeVisible();
      await expect(page.locator('[data-paywall]')).toHaveCount(0);
    }
    visits += 1;
  }
  const minted = ((await stats()).tokensByUser[user.id] ?? 0) - before;
  expect(minted).toBeGreaterThanOrEqual(10);
  await page.goto(MEMBERS);
  await expect(fullText(page, membersArticle.slug)).toBeVisible();
});

test("a page load with an expired token is refreshed through the stand-in's handshake", async ({ page, context }) => {
  const user = await createUser({
    email: uniqueEmail('handshake'),
    publicMetadata: { tier: 'premium' },
    tokenLifetime: TOKEN_LIFETIME,
  });
  await signInFromPaywall(page, PREMIUM, user.email);
  await expect(fullText(page, premiumArticle.slug)).toBeVisible();

  // No clerk-js from here on, so nothing refreshes the token in the background: only the handshake can.
  await page.close();
  await context.route('**/__clerk/npm/**', (route) => route.abort());
  const expired = (await sessionClaims(context))!;
  // Clerk's SDK accepts tokens up to 5 s past `exp` (clock skew allowance): wait until it no longer does.
  await new Promise((resolve) => setTimeout(resolve, (Number(expired.exp) - Date.now() / 1000 + 7) * 1000));

  const fresh = await context.newPage();
  const handshakes: string[] = [];
  fresh.on('request', (request) => {
    if (new URL(request.url()).pathname === '/__clerk/v1/client/handshake') handshakes.push(request.url());
  });
  await fresh.goto(PREMIUM);
  await expect(fullText(fresh, premiumArticle.slug)).toBeVisible();
  expect(handshakes).toHaveLength(1);
  expect(new URL(handshakes[0]!).searchParams.get('redirect_url')).toMatch(new RegExp(`${PREMIUM}$`));
  await expect(fresh).toHaveURL(new RegExp(`${PREMIUM}$`));
  const claims = (await sessionClaims(context))!;
  expect(Number(claims.iat)).toBeGreaterThan(Number(expired.iat));
  expect(claims.sid).toBe(expired.sid);
});
