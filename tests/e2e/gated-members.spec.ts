/**
 * The editor's members list in a real browser: members who arrive by Clerk webhook (signed the Svix
 * way, posted to the gated server) appear, and the editor finds them by email and by tier.
 */
import { expect, test } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { signInContext } from '../support/browser-session';
import { FAPI_HOST, readerClaims, sharedTestKeys } from '../support/clerk-session';
import { clerkEvent, sharedSigningSecret, svixHeaders, userJson } from '../support/svix';

const keys = sharedTestKeys();
const readers = readerClaims();

test.beforeEach(async ({ context }) => {
  await context.route(`https://${FAPI_HOST}/**`, (route) => route.abort());
});

test('new members arrive by webhook; the editor finds them by email and tier', async ({
  page,
  context,
  request,
  baseURL,
}) => {
  // Unique to this run: the server's store outlives one test run only in the temporary folder.
  const run = randomBytes(4).toString('hex');
  const people = [
    { id: `user_e2e_${run}_1`, email: `grace.${run}@example.test`, first: 'Grace', tier: 'premium' },
    { id: `user_e2e_${run}_2`, email: `alan.${run}@example.test`, first: 'Alan', tier: undefined },
  ];
  for (const person of people) {
    const body = JSON.stringify(
      clerkEvent(
        'user.created',
        userJson(person.id, {
          email: person.email,
          firstName: person.first,
          lastName: 'Tester',
          publicMetadata: person.tier ? { tier: person.tier } : {},
        }),
      ),
    );
    const response = await request.post('/api/webhooks/clerk', {
      headers: svixHeaders(sharedSigningSecret(), body),
      data: body,
    });
    expect(response.status()).toBe(200);
  }

  await signInContext(context, baseURL!, keys, readers.editor);
  await page.goto('/editor/');
  await page.getByRole('link', { name: 'Members' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Members' })).toBeVisible();

  await page.getByLabel('Email contains').fill(run.toUpperCase());
  await page.getByRole('button', { name: 'Find' }).click();
  const table = page.getByRole('table');
  await expect(table.getByRole('row')).toHaveCount(3);
  await expect(table).toContainText('Grace Tester');
  await expect(table).toContainText('Alan Tester');

  await page.getByRole('combobox', { name: /^Tier/ }).selectOption('premium');
  await page.getByRole('button', { name: 'Find' }).click();
  await expect(page).toHaveURL(new RegExp(`q=${run.toUpperCase()}.*tier=premium`));
  await expect(table.getByRole('row')).toHaveCount(2);
  const grace = table.getByRole('row', { name: new RegExp(`grace\\.${run}`) });
  await expect(grace).toContainText('Premium');
  await expect(grace).toContainText('Public metadata');
  await expect(table).not.toContainText('Alan');
});

test('a member who guesses the members list sees the ordinary 404 page', async ({ page, context, baseURL }) => {
  await signInContext(context, baseURL!, keys, readers.premiumByMetadata);
  const response = await page.goto('/editor/members/');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/couldn.t find/i);
  await expect(page.locator('body')).not.toContainText('@example.test');
});
