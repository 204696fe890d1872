/**
 * "Your private feed" on the account page, in a real browser against the demo: a member copies their
 * feed address (the clipboard holds exactly the address shown), a feed reader fetches it with no cookie,
 * and Reset gives a new address while the old one stops working at once.
 */
import { expect, test } from '@playwright/test';
import { fillClerkSignIn, pathPattern } from '../support/standin.ts';

test('a member copies their private feed address, reads it without a session, and resets it', async ({
  page,
  context,
  playwright,
  baseURL,
}) => {
  test.setTimeout(90_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL! });
  await page.goto('/sign-in/?redirect_url=%2Faccount%2F');
  await fillClerkSignIn(page, 'reader@gatepost.test');
  await expect(page).toHaveURL(pathPattern('/account/'), { timeout: 30_000 });

  const section = page.getByRole('region', { name: 'Your private feed' });
  await expect(section).toBeVisible();
  const field = section.getByRole('textbox', { name: 'Your private feed address' });
  const first = await field.inputValue();
  expect(first).toMatch(/\/feeds\/f1\.[A-Za-z0-9_.-]+\/rss\.xml$/);

  // The button is an island: clicked once Astro has hydrated it (its `ssr` marker gone).
  await expect(section.locator('astro-island:not([ssr])')).toHaveCount(1);
  await section.getByRole('button', { name: 'Copy' }).click();
  await expect(section.getByRole('status')).toHaveText('Copied.');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(first);

  // A feed reader: no cookie, no session.
  const reader = await playwright.request.newContext({ baseURL: baseURL! });
  const path = (url: string) => new URL(url).pathname;
  const feed = await reader.get(path(first));
  expect(feed.status()).toBe(200);
  expect(feed.headers()['cache-control']).toBe('private, no-store');
  expect(await feed.text()).toContain('<rss');
  // The page's Atom link is the same feed (same token) as Atom.
  const atom = await section.getByRole('link', { name: 'The same feed as Atom' }).getAttribute('href');
  expect(atom).toBe(first.replace(/\/rss\.xml$/, '/atom.xml'));
  const atomFeed = await reader.get(path(atom!));
  expect(atomFeed.status()).toBe(200);
  expect(await atomFeed.text()).toContain('<feed');

  await section.getByRole('button', { name: 'Reset' }).click();
  await expect(page).toHaveURL(/\/account\/\?feed=reset#private-feed$/);
  await expect(section.getByRole('status')).toHaveText('Your feed has a new address; the old one no longer works.');
  const second = await field.inputValue();
  expect(second).not.toBe(first);
  expect((await reader.get(path(first))).status()).toBe(404);
  expect((await reader.get(path(second))).status()).toBe(200);
  await reader.dispose();
});
