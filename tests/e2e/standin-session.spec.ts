/**
 * Clerk's real components against the local stand-in: a wrong password gets Clerk's own error,
 * <UserProfile/> opens for a signed-in reader, and signing out from <UserButton/> takes access away.
 */
import { expect, test } from '@playwright/test';
import { loadCanaries, publishedSourceArticles } from '../support/articles';
import { fillClerkSignIn, pathPattern, signInFromPaywall } from '../support/standin.ts';

const canaries = loadCanaries();
const membersArticle = publishedSourceArticles().find((a) => a.access === 'members')!;
const MEMBERS = `/members/${membersArticle.slug}/`;

test("a wrong password shows Clerk's error and signs nobody in", async ({ page, context }) => {
  await page.goto(`/sign-in/?redirect_url=${encodeURIComponent(MEMBERS)}`);
  await fillClerkSignIn(page, 'premium@gatepost.test', 'not-the-password');
  // The form field's error, as Clerk's UI renders it for the `form_password_incorrect` error code.
  await expect(page.locator('.cl-formFieldErrorText__password')).toHaveText(
    'Password is incorrect. Try again, or use another method.',
  );
  await expect(page).toHaveURL(/\/sign-in\//);
  const cookies = await context.cookies();
  expect(cookies.find((c) => c.name === '__session')).toBeUndefined();

  // The same form, with the right password, still works afterwards.
  await page.getByLabel('Password', { exact: true }).fill('gatepost-demo');
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await expect(page).toHaveURL(pathPattern(MEMBERS));
  await expect(page.getByText(canaries[membersArticle.slug]!)).toBeVisible();
});

test("an unknown email shows Clerk's error", async ({ page }) => {
  await page.goto('/sign-in/');
  const card = page.locator('.cl-signIn-root');
  await card.getByLabel('Email address').fill('nobody@gatepost.test');
  await card.getByRole('button', { name: 'Continue', exact: true }).click();
  await expect(card.locator('.cl-formFieldErrorText__identifier')).toHaveText("Couldn't find your account.");
});

test("<UserProfile/> opens on the account page with the reader's details", async ({ page }) => {
  await signInFromPaywall(page, MEMBERS, 'member@gatepost.test');
  await page.goto('/account/');
  await expect(page.locator('[data-tier="members"]')).toContainText('Members');
  const profile = page.locator('.cl-userProfile-root');
  await expect(profile).toBeVisible({ timeout: 15_000 });
  await expect(profile.getByText('member@gatepost.test')).toBeVisible();
  await expect(profile.getByText('Milo Member')).toBeVisible();
  // Its security page lists this browser's session (Clerk's "Active devices").
  await profile.getByRole('button', { name: 'Security' }).click();
  await expect(profile.getByText('Active devices')).toBeVisible();
});

test('signing out from the UserButton ends access to members articles', async ({ page, context }) => {
  await signInFromPaywall(page, MEMBERS, 'reader@gatepost.test');
  await expect(page.getByText(canaries[membersArticle.slug]!)).toBeVisible();

  await page.getByTestId('account-menu').getByRole('button', { name: 'Open user menu' }).click();
  await page.getByRole('dialog', { name: 'Account panel' }).getByRole('button', { name: 'Sign out' }).click();
  // Clerk's default destination after signing out is the home page.
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('sign-in-link')).toBeVisible();
  const cookies = new Map((await context.cookies()).map((c) => [c.name, c.value]));
  expect(cookies.get('__client_uat')).toBe('0');

  await page.goto(MEMBERS);
  await expect(page.locator('[data-paywall="sign-in"]')).toBeVisible();
  await expect(page.getByText(canaries[membersArticle.slug]!)).toHaveCount(0);
});
