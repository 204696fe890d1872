/**
 * Newsletters in the demo, in a real browser: the editor sends a published article from the desk
 * ("Email to subscribers", the preview, the send, the state on the desk), the stand-in's mail catcher
 * receives it, and the reader unsubscribes from the link in the caught email with no session at all,
 * sees the confirmation and resubscribes. A member switches the newsletter off and on from the account page.
 */
import { expect, test } from '@playwright/test';
import { fillClerkSignIn, pathPattern } from '../support/standin.ts';

const MAIL = `${process.env.GATEPOST_STANDIN_API_URL}/__mail.json`;

interface Caught {
  subject: string;
  envelopeTo: string[];
  html: string;
  headers: Record<string, string>;
}

async function caught(): Promise<Caught[]> {
  return ((await (await fetch(MAIL)).json()) as { messages: Caught[] }).messages;
}

test('the editor sends an article; the reader unsubscribes from the email without signing in, and resubscribes', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  await page.goto('/sign-in/?redirect_url=%2Feditor%2F');
  await fillClerkSignIn(page, 'editor@gatepost.test');
  await expect(page).toHaveURL(pathPattern('/editor/'), { timeout: 30_000 });

  // An article no earlier run has sent (the demo's store outlives a run).
  const cell = page
    .locator('[data-email-cell]', { has: page.getByRole('link', { name: 'Email to subscribers' }) })
    .first();
  const slug = await cell.getAttribute('data-email-cell');
  expect(slug).toBeTruthy();
  await cell.getByRole('link', { name: 'Email to subscribers' }).click();
  await expect(page.getByRole('heading', { name: 'Email to subscribers' })).toBeVisible();
  // The preview is the email a tier receives.
  const [preview] = await Promise.all([page.waitForEvent('popup'), page.locator('[data-preview="members"]').click()]);
  await expect(preview.getByRole('link', { name: 'Unsubscribe' })).toBeVisible();
  await preview.close();

  await page.locator('[data-send]').click();
  await expect(page).toHaveURL(/\/editor\/\?email=/);
  const state = page.locator(`[data-email-cell="${slug}"] [data-send-state]`);
  await expect(state).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(state).toHaveAttribute('data-send-state', 'sent', { timeout: 1000 });
  }).toPass({ timeout: 60_000 });
  const title = (await page.locator(`[data-row="${slug}"] td`).first().locator('a').first().textContent())!.trim();

  let message: Caught | undefined;
  await expect(async () => {
    message = (await caught()).find((m) => m.subject === title && m.envelopeTo.includes('premium@gatepost.test'));
    expect(message).toBeDefined();
  }).toPass({ timeout: 30_000 });
  expect(message!.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
  const link = /href="([^"]*\/unsubscribe\/[^"]+)"/.exec(message!.html)![1]!;

  // A fresh browser: no session, as in a mail client.
  const reader = await browser.newContext();
  const inbox = await reader.newPage();
  await inbox.goto(link.replace(/^https?:\/\/[^/]+/, ''));
  await expect(inbox.getByRole('heading', { name: 'You are subscribed to Gatepost Weekly' })).toBeVisible();
  await inbox.getByRole('button', { name: 'Unsubscribe' }).click();
  await expect(inbox.getByRole('heading', { name: 'You are unsubscribed from Gatepost Weekly' })).toBeVisible();
  await inbox.getByRole('button', { name: 'Resubscribe' }).click();
  await expect(inbox.getByRole('heading', { name: 'You are subscribed to Gatepost Weekly' })).toBeVisible();
  await reader.close();
});

test('a member switches the newsletter off and on from the account page', async ({ page }) => {
  await page.goto('/sign-in/?redirect_url=%2Faccount%2F');
  await fillClerkSignIn(page, 'reader@gatepost.test');
  await expect(page).toHaveURL(pathPattern('/account/'), { timeout: 30_000 });
  const item = page.locator('[data-newsletter="gatepost-weekly"]');
  await expect(item).toBeVisible();
  if ((await item.getAttribute('data-subscribed')) === 'no')
    await item.getByRole('button', { name: 'Subscribe to Gatepost Weekly' }).click();
  await expect(item).toHaveAttribute('data-subscribed', 'yes');
  await item.getByRole('button', { name: 'Unsubscribe from Gatepost Weekly' }).click();
  await expect(item).toHaveAttribute('data-subscribed', 'no');
  await expect(item.getByText('You are not subscribed.')).toBeVisible();
  await item.getByRole('button', { name: 'Subscribe to Gatepost Weekly' }).click();
  await expect(item).toHaveAttribute('data-subscribed', 'yes');
});
