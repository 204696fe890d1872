/**
 * Every seeded account of the local stand-in signs in through Clerk's real <SignIn/> (clerk-js and
 * @clerk/ui from npm, served by the stand-in on the site's origin), lands back on the article that asked
 * for it, and reads exactly what its tier unlocks, as verified by the real server with Clerk's SDK.
 */
import { expect, test, type Page } from '@playwright/test';
import { loadCanaries, gatedSamples } from '../support/articles';
import { signInFromPaywall } from '../support/standin.ts';

const canaries = loadCanaries();
const { membersArticle, premiumArticle, MEMBERS, PREMIUM } = gatedSamples();

/** The seeded accounts (packages/clerk-standin/src/accounts.ts) and what each may read. */
const ACCOUNTS = [
  { handle: 'reader', name: 'Rae Reader', premium: false, editor: false },
  { handle: 'member', name: 'Milo Member', premium: false, editor: false },
  { handle: 'premium', name: 'Priya Premium', premium: true, editor: false },
  // Through their organization, which the site makes active after sign-in (their only one).
  { handle: 'team', name: 'Tomas Team', premium: true, editor: false },
  { handle: 'owner', name: 'Olga Owner', premium: true, editor: false },
  { handle: 'editor', name: 'Edie Editor', premium: true, editor: true },
] as const;

const fullText = (page: Page, slug: string) => page.getByText(canaries[slug]!);

for (const account of ACCOUNTS) {
  test(`${account.handle}@ signs in from a premium article's paywall and reads what the tier unlocks`, async ({
    page,
  }) => {
    // Sign-in, Clerk's UI and (for organization readers) one activation and reload: slow on a busy machine.
    test.setTimeout(90_000);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const email = `${account.handle}@gatepost.test`;

    await signInFromPaywall(page, PREMIUM, email);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(premiumArticle.title);
    if (account.premium) {
      // Organization readers: after Clerk loads, activates the organization and reloads the page once.
      await expect(page.locator('[data-access-granted]')).toBeVisible({ timeout: 30_000 });
      await expect(fullText(page, premiumArticle.slug)).toBeVisible();
      await expect(page.locator('[data-paywall]')).toHaveCount(0);
    } else {
      const paywall = page.locator('[data-paywall="upgrade"]');
      await expect(paywall).toContainText('You are signed in as a Members reader');
      await expect(fullText(page, premiumArticle.slug)).toHaveCount(0);
    }

    // Clerk's UserButton in the header shows who is signed in.
    const menu = page.getByTestId('account-menu').getByRole('button', { name: 'Open user menu' });
    await expect(menu).toBeVisible({ timeout: 15_000 });
    await menu.click();
    const panel = page.getByRole('dialog', { name: 'Account panel' });
    await expect(panel.getByText(account.name)).toBeVisible();
    await expect(panel.getByText(email)).toBeVisible();
    await page.keyboard.press('Escape');

    // Every signed-in reader reads members articles.
    await page.goto(MEMBERS);
    await expect(fullText(page, membersArticle.slug)).toBeVisible();
    await expect(page.locator('[data-paywall]')).toHaveCount(0);

    // Only editors get the editor desk; everyone else the ordinary 404 page.
    const desk = await page.goto('/editor/');
    expect(desk?.status()).toBe(account.editor ? 200 : 404);
    if (account.editor) await expect(page.getByRole('heading', { name: 'Editor desk' })).toBeVisible();

    // The badge says it is the demo, on server-rendered and static pages alike.
    await expect(page.locator('[data-demo-signin]')).toHaveText('Local demo sign-in, not Clerk');
    await page.goto('/');
    await expect(page.locator('[data-demo-signin]')).toBeVisible();
    expect(errors).toEqual([]);
  });
}
