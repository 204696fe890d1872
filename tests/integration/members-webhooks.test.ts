/**
 * POST /api/webhooks/clerk over HTTP against the built server, on SQLite and (with
 * GATEPOST_TEST_DATABASE_URL) PostgreSQL: Clerk's servers calling it (no cookie, another origin), the
 * size limits, a burst of 1,000 events, and the server killed with SIGKILL while an event's transaction
 * is open: nothing of it is kept, and Clerk's retry after the restart applies it once.
 */
import { DatabaseSync } from 'node:sqlite';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMembership, applyOrganization, applyUser, mirrorTransaction } from '../../src/members/mirror';
import { openStore, type MembersStore } from '../../src/members/store';
import { recomputeTiers } from '../../src/members/tier';
import {
  generateTestKeys,
  mintToken,
  readerClaims,
  serverEnv,
  sessionCookie,
  TEST_SITE_ORIGIN,
} from '../support/clerk-session';
import { createTestDatabase, STORE_KINDS, type TestDatabase } from '../support/databases';
import { startServer, type RunningServer } from '../support/server';
import {
  clerkEvent,
  membershipJson,
  newSigningSecret,
  organizationJson,
  svixHeaders,
  userJson,
  type ClerkEventEnvelope,
} from '../support/svix';

const keys = generateTestKeys();
const editorCookie = () => sessionCookie(mintToken(keys, readerClaims().editor));

describe.each(STORE_KINDS)('Clerk webhooks over HTTP, %s', (kind) => {
  let database: TestDatabase;
  let server: RunningServer;
  const secret = newSigningSecret();
  const env = () => ({ ...serverEnv(keys, TEST_SITE_ORIGIN), ...database.env, CLERK_WEBHOOK_SIGNING_SECRET: secret });

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    server = await startServer(env());
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  async function post(
    event: ClerkEventEnvelope | string,
    { id, headers = {} }: { id?: string; headers?: Record<string, string> } = {},
  ) {
    const body = typeof event === 'string' ? event : JSON.stringify(event);
    const response = await fetch(`${server.url}/api/webhooks/clerk`, {
      method: 'POST',
      headers: { ...svixHeaders(secret, body, id ? { id } : {}), ...headers },
      body,
    });
    return {
      status: response.status,
      json: (await response.json().catch(() => null)) as { status?: string } | null,
      response,
    };
  }

  const membersPage = async (query = '') => {
    const response = await fetch(`${server.url}/editor/members/${query}`, { headers: { cookie: editorCookie() } });
    return { status: response.status, html: await response.text() };
  };

  it('accepts Clerk’s call from another origin, without a cookie, and the editor sees the member', async () => {
    const result = await post(
      clerkEvent('user.created', userJson('user_http', { email: 'http.reader@example.test' })),
      {
        headers: { origin: 'https://api.svix.example', 'sec-fetch-site': 'cross-site' },
      },
    );
    expect(result.status).toBe(200);
    expect(result.json).toEqual({ status: 'applied' });
    expect(result.response.headers.get('set-cookie')).toBeNull();
    expect(result.response.headers.get('cache-control')).toMatch(/no-store/);
    const page = await membersPage('?q=http.reader');
    expect(page.status).toBe(200);
    expect(page.html).toContain('http.reader@example.test');
  });

  it('refuses forged and oversized deliveries with a 4xx', async () => {
    const event = clerkEvent('user.created', userJson('user_forged', { email: 'forged@example.test' }));
    const body = JSON.stringify(event);
    const forged = await fetch(`${server.url}/api/webhooks/clerk`, {
      method: 'POST',
      headers: svixHeaders(newSigningSecret(), body),
      body,
    });
    expect(forged.status).toBe(400);
    const unsigned = await fetch(`${server.url}/api/webhooks/clerk`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(unsigned.status).toBe(400);
    const huge = await post(clerkEvent('user.created', { ...userJson('user_huge'), padding: 'x'.repeat(300 * 1024) }));
    expect(huge.status).toBe(413);
    // Larger than the other routes accept, within the webhook's own limit.
    const large = await post(
      clerkEvent('user.created', { ...userJson('user_large'), padding: 'x'.repeat(100 * 1024) }),
    );
    expect(large.status).toBe(200);
    expect((await membersPage('?q=forged')).html).not.toContain('forged@example.test');
    // Only POST exists here, and only this route takes POSTs from anywhere.
    expect((await fetch(`${server.url}/api/webhooks/clerk`)).status).toBe(404);
    const crossSiteGift = await fetch(`${server.url}/api/gift-links`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
      body: '{}',
    });
    expect(crossSiteGift.status).toBe(403);
  });

  it('takes a burst of 1,000 events, applying each once', async () => {
    const events = Array.from({ length: 1000 }, (_, i) =>
      clerkEvent(
        'user.created',
        userJson(`user_burst_${i}`, {
          email: `burst${i}@example.test`,
          publicMetadata: i < 100 ? { tier: 'premium' } : {},
        }),
      ),
    );
    let next = 0;
    const statuses: number[] = [];
    // 50 deliveries in flight at a time, as a sender with many workers would.
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next < events.length) {
          const i = next++;
          statuses.push((await post(events[i]!, { id: `msg_burst_${i}` })).status);
        }
      }),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(1000);
    const replay = await post(events[7]!, { id: 'msg_burst_7' });
    expect(replay.json).toEqual({ status: 'duplicate' });
    const page = await membersPage('?q=burst');
    expect(page.html).toMatch(/data-matches="1000"/);
    expect(page.html).toMatch(/data-count="premium"[^>]*>\s*100\s*</);
  });

  describe('a crash between receipt and commit', () => {
    const MEMBERS = 3000;
    let store: MembersStore;

    beforeAll(async () => {
      // An organization with many members: updating it is one long transaction (every tier recomputed).
      store = openStore(database.config);
      const now = Date.now();
      const org = organizationJson('org_big', { slug: 'big', publicMetadata: {}, updatedAt: now - 60_000 });
      await mirrorTransaction(store, async (trx) => {
        await applyOrganization(trx, org as never, now - 60_000, now);
        for (let i = 0; i < MEMBERS; i++) {
          await applyUser(
            trx,
            userJson(`user_big_${i}`, { email: `big${i}@example.test` }) as never,
            now - 60_000,
            now,
          );
          await applyMembership(
            trx,
            membershipJson(`orgmem_big_${i}`, org, `user_big_${i}`, { updatedAt: now - 60_000 }) as never,
            now - 60_000,
            now,
          );
        }
        await recomputeTiers(
          trx,
          Array.from({ length: MEMBERS }, (_, i) => `user_big_${i}`),
          now,
        );
      });
    });
    afterAll(async () => {
      await store?.close();
    });

    const premiumCount = async () =>
      Number(
        (
          await store.db
            .selectFrom('members')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('id', 'like', 'user_big_%')
            .where('tier', '=', 'premium')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const processed = async (id: string) =>
      (await store.db.selectFrom('processed_events').select('svix_id').where('svix_id', '=', id).execute()).length;

    /** True while another process holds the mirror's write lock, i.e. is inside an event's transaction. */
    async function serverInTransaction(): Promise<boolean> {
      if (database.config.kind === 'postgres') {
        const { rows } = await sql<{ n: number }>`
          select count(*)::int as n from pg_locks
          where locktype = 'advisory' and granted and pid <> pg_backend_pid()`.execute(store.db);
        return rows[0]!.n > 0;
      }
      const probe = new DatabaseSync(database.config.file, { timeout: 0 });
      try {
        probe.exec('BEGIN IMMEDIATE');
        probe.exec('ROLLBACK');
        return false;
      } catch (error) {
        if ((error as { errcode?: number }).errcode === 5) return true;
        throw error;
      } finally {
        probe.close();
      }
    }

    it('keeps nothing of the event, and the retry after the restart applies it once', async () => {
      expect(await premiumCount()).toBe(0);
      const event = clerkEvent(
        'organization.updated',
        organizationJson('org_big', { slug: 'big', publicMetadata: { tier: 'premium' }, updatedAt: Date.now() }),
      );
      const delivery = post(event, { id: 'msg_crash' }).catch((error: unknown) => error);
      const deadline = Date.now() + 20_000;
      while (!(await serverInTransaction())) {
        if (Date.now() > deadline) throw new Error(`the event's transaction never started:\n${server.output()}`);
        await new Promise((r) => setTimeout(r, 1));
      }
      const exited = new Promise((r) => server.process.once('exit', r));
      server.process.kill('SIGKILL');
      expect(await delivery).toBeInstanceOf(Error); // the connection died with the process
      await exited;

      // Nothing half-written: no tier changed, the event is not recorded as applied.
      expect(await premiumCount()).toBe(0);
      expect(await processed('msg_crash')).toBe(0);

      // Clerk retries the same message after the restart.
      server = await startServer(env());
      const retry = await post(event, { id: 'msg_crash' });
      expect(retry.json).toEqual({ status: 'applied' });
      expect(await premiumCount()).toBe(MEMBERS);
      expect(await processed('msg_crash')).toBe(1);
      expect((await post(event, { id: 'msg_crash' })).json).toEqual({ status: 'duplicate' });
    });
  });
});
