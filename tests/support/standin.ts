/**
 * Helpers for browser tests against the stand-in (tests/e2e/standin-*.spec.ts): signing in through
 * Clerk's real <SignIn/>, and the stand-in's admin API (accounts, metadata, counters).
 */
import { expect, type Page } from '@playwright/test';
import { DEMO_PASSWORD, type Stats } from '@gatepost/clerk-standin';

export { DEMO_PASSWORD };

/** Set by playwright.config.ts for the `standin` project. */
export function adminUrl(path: string): string {
  const base = process.env.GATEPOST_STANDIN_API_URL;
  if (!base) throw new Error('GATEPOST_STANDIN_API_URL is not set: run these tests with --project=standin');
  return `${base}/__admin${path}`;
}

async function admin<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(adminUrl(path), {
    method: body === undefined ? 'GET' : 'POST',
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export interface CreatedUser {
  id: string;
  email: string;
}

/** A fresh account of its own, so a test that changes it cannot disturb tests using the seeded ones. */
export async function createUser(options: {
  email: string;
  publicMetadata?: Record<string, unknown>;
  /** Session token lifetime in seconds (default: the stand-in's, 60 like Clerk). */
  tokenLifetime?: number;
}): Promise<CreatedUser> {
  const user = await admin<{ id: string; email_addresses: { email_address: string }[] }>('/users', options);
  return { id: user.id, email: user.email_addresses[0]!.email_address };
}

export function setPublicMetadata(userId: string, publicMetadata: Record<string, unknown>) {
  return admin(`/users/${userId}/metadata`, { public_metadata: publicMetadata });
}

/** Whether the stand-in has an account with this email (other tests may sign up at the same time). */
export async function accountExists(email: string): Promise<boolean> {
  const accounts = await admin<{ email: string }[]>('/accounts');
  return accounts.some((a) => a.email.toLowerCase() === email.toLowerCase());
}

/** The id of the stand-in's account with this email (e.g. one made through <SignUp/>), or undefined. */
export async function accountId(email: string): Promise<string | undefined> {
  const accounts = await admin<{ id: string; email: string }[]>('/accounts');
  return accounts.find((a) => a.email.toLowerCase() === email.toLowerCase())?.id;
}

export function stats(): Promise<Stats> {
  return admin<Stats>('/stats');
}

/** A unique email per test run and test, on the seeded accounts' domain. */
export function uniqueEmail(label: string): string {
  return `${label}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@gatepost.test`;
}

/** Clerk's <SignIn/> on the current page: email, Continue, password, Continue. */
export async function fillClerkSignIn(page: Page, email: string, password = DEMO_PASSWORD) {
  const card = page.locator('.cl-signIn-root');
  await card.getByLabel('Email address').fill(email);
  await card.getByRole('button', { name: 'Continue', exact: true }).click();
  await card.getByLabel('Password', { exact: true }).fill(password);
  await card.getByRole('button', { name: 'Continue', exact: true }).click();
}

/**
 * From an article's paywall to Clerk's sign-in page and back: clicks the paywall's "Sign in", which
 * carries the article as `redirect_url`, signs in with Clerk's form and waits to land on the article.
 */
export async function signInFromPaywall(page: Page, articlePath: string, email: string, password = DEMO_PASSWORD) {
  await page.goto(articlePath);
  await page.locator('[data-paywall="sign-in"]').getByRole('link', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/sign-in\/?\?redirect_url=/);
  await fillClerkSignIn(page, email, password);
  // Clerk signs in, fetches a token, then navigates: several round trips on a busy machine.
  await expect(page).toHaveURL(pathPattern(articlePath), { timeout: 30_000 });
}

/** A path with or without its trailing slash (Clerk's navigation drops it; the site serves both). */
export function pathPattern(path: string): RegExp {
  const escaped = path.replace(/\/$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^[a-z]+://[^/]+${escaped}/?$`);
}

/** Clerk's test-mode code; the stand-in accepts it for any address. */
export { TEST_CODE } from '@gatepost/clerk-standin';

/** A new address in Clerk's test-mode form (`+clerk_test`), so it would pass a real development instance too. */
export function uniqueTestEmail(label: string): string {
  return `${label}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}+clerk_test@example.com`;
}

/** Clerk's <SignUp/> on the current page: email and password, Continue; then the email code card. */
export async function fillClerkSignUp(page: Page, email: string, password: string) {
  const card = page.locator('.cl-signUp-root');
  await card.getByLabel('Email address').fill(email);
  await card.getByLabel('Password', { exact: true }).fill(password);
  await card.getByRole('button', { name: 'Continue', exact: true }).click();
}

/** Types a code into Clerk's verification code field (it submits itself once six digits are in). */
export async function enterClerkCode(page: Page, code: string) {
  const field = page.getByLabel('Enter verification code');
  // Clerk's form asks the Frontend API to prepare the code first: as long as its other waits on a busy CI machine.
  await expect(field).toBeEditable({ timeout: 30_000 });
  await field.fill(code);
}

/**
 * The pricing page of a signed-in reader shows Clerk's <PricingTable/>, checked in the order it comes
 * about, so a failure says which part did not happen: the server chose Clerk's table for this reader
 * (its panel is in the page, not the server's cards), Clerk loaded in the browser, then the table.
 */
export async function expectClerkPricingTable(page: Page) {
  const panel = page.locator('[data-clerk-state]');
  await expect(panel, "the server rendered Clerk's pricing panel (a signed-in reader's page)").toHaveCount(1);
  await expect(panel, 'Clerk loaded in the browser').toHaveAttribute('data-clerk-state', 'ready', { timeout: 30_000 });
  const table = page.locator('.cl-pricingTable-root');
  await expect(table, "Clerk's pricing table rendered").toBeVisible({ timeout: 20_000 });
  return table;
}
