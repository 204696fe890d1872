/**
 * The members' store in the offline demo: the stand-in sends Clerk's webhooks (Svix-signed with a secret
 * made for the run) for every change a reader or an operator makes, and serves the Backend API the
 * scheduled sync pages through, so the editor's /editor/members/ shows the stand-in's accounts as they
 * are, within seconds. Runs the production build behind the stand-in, as `npm start` does.
 */
import { DEMO_PLANS, subscribe } from '@gatepost/clerk-standin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoSite, type DemoSite } from '../../tools/demo.ts';
import { sessionCookie } from '../support/clerk-session';
import { fapiSignIn, fapiSignUp } from '../support/fapi-client';
import { ROOT } from '../support/paths';

let demo: DemoSite;
const log: string[] = [];
beforeAll(async () => {
  demo = await startDemoSite({ port: 0, publicHost: '127.0.0.1', outDir: ROOT, build: false, log: (l) => log.push(l) });
}, 90_000);
afterAll(() => demo?.stop());

/** The members list as the seeded editor sees it: email → tier, for the rows matching `q`. */
async function membersPage(q = ''): Promise<Map<string, string>> {
  const { instance, origin } = demo.standin;
  const session = instance.startSession(instance.createClient(), instance.accounts.get('user_standin_editor')!);
  const token = instance.mintToken(session, origin);
  const response = await fetch(`${origin}/editor/members/?q=${encodeURIComponent(q)}`, {
    headers: { cookie: sessionCookie(token) },
  });
  expect(response.status, await response.clone().text()).toBe(200);
  expect(response.headers.get('cache-control')).toBe('private, no-store');
  const html = await response.text();
  const rows = new Map<string, string>();
  for (const row of html.matchAll(/<tr[^>]*data-member="[^"]+"[^>]*data-tier="([^"]+)"[^>]*>\s*<td[^>]*>([^<]*)</g))
    rows.set(row[2]!.trim(), row[1]!);
  return rows;
}

/** Waits (up to 10 s) until the members page shows what `check` wants. */
async function eventually(q: string, check: (rows: Map<string, string>) => boolean): Promise<Map<string, string>> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const rows = await membersPage(q);
    if (check(rows)) return rows;
    if (Date.now() > deadline)
      throw new Error(
        `members page never matched; last rows: ${JSON.stringify([...rows])}\n${log
          .filter((l) => !l.includes(`"msg":"request"`))
          .slice(-15)
          .join('\n')}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const uniqueEmail = (label: string) => `${label}-${Date.now().toString(36)}+clerk_test@example.com`;

describe('the demo’s members store follows the stand-in', () => {
  it('holds every seeded account after the first sync, with the tier its session token would give', async () => {
    const seeded = {
      'reader@gatepost.test': 'members',
      'member@gatepost.test': 'members',
      'premium@gatepost.test': 'premium',
      // Through the Acme organization's team plan, which the sync reads from Billing's Backend API.
      'team@gatepost.test': 'premium',
      'owner@gatepost.test': 'premium',
      'editor@gatepost.test': 'premium',
    };
    // The sync writes users first and their Billing subscriptions after: wait for the whole of it.
    const rows = await eventually('gatepost.test', (r) =>
      Object.entries(seeded).every(([email, tier]) => r.get(email) === tier),
    );
    expect(Object.fromEntries(rows)).toMatchObject(seeded);
  });

  it('shows a sign-up within seconds, delivered by a signed webhook', async () => {
    const delivered = demo.standin.webhooks!.stats.delivered;
    const address = uniqueEmail('signup');
    await fapiSignUp(demo.standin.origin, address);
    const rows = await eventually(address, (r) => r.has(address));
    expect(rows.get(address)).toBe('members');
    expect(demo.standin.webhooks!.stats.delivered).toBeGreaterThan(delivered);
    expect(demo.standin.webhooks!.stats.failed).toBe(0);
  });

  it('follows an upgrade by metadata and a Billing subscription, and a cancellation', async () => {
    const { instance, apiUrl } = demo.standin;
    const byMetadata = instance.createAccount({ email: uniqueEmail('metadata') });
    const byBilling = instance.createAccount({ email: uniqueEmail('billing') });
    await eventually(
      '+clerk_test',
      (r) => r.get(byMetadata.email) === 'members' && r.get(byBilling.email) === 'members',
    );

    // The operator's way (the banner's curl): the admin API merges public metadata, as Clerk's does.
    const answer = await fetch(`${apiUrl}/__admin/users/${byMetadata.id}/metadata`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ public_metadata: { tier: 'premium' } }),
    });
    expect(answer.status).toBe(200);
    // The checkout's way: what the stand-in's Billing does when the reader confirms.
    subscribe(
      instance,
      byBilling,
      DEMO_PLANS.find((p) => p.slug === 'premium')!,
    );
    await eventually(
      '+clerk_test',
      (r) => r.get(byMetadata.email) === 'premium' && r.get(byBilling.email) === 'premium',
    );

    subscribe(
      instance,
      byBilling,
      DEMO_PLANS.find((p) => p.isDefault)!,
    );
    await eventually('+clerk_test', (r) => r.get(byBilling.email) === 'members');
  });

  it('follows an organization admin removing a member, and a user deleted in Clerk', async () => {
    const { apiUrl, instance, origin } = demo.standin;
    const owner = await fapiSignIn(origin, 'owner@gatepost.test');
    await eventually('team@gatepost.test', (r) => r.get('team@gatepost.test') === 'premium');
    const removed = await owner.fapi('DELETE', '/organizations/org_standin_acme/memberships/user_standin_team');
    expect(removed.status).toBe(200);
    await eventually('team@gatepost.test', (r) => r.get('team@gatepost.test') === 'members');

    const gone = instance.createAccount({ email: uniqueEmail('deleted') });
    await eventually(gone.email, (r) => r.has(gone.email));
    const deleted = await fetch(`${apiUrl}/v1/users/${gone.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${instance.keys.secretKey}` },
    });
    expect(deleted.status).toBe(200);
    // Erased: the address is nowhere on the page any more.
    await eventually(gone.email, (r) => !r.has(gone.email));
    expect(demo.standin.webhooks!.stats.failed).toBe(0);
  });
});
