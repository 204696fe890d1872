/**
 * The members' store seen from outside, against the built server: /readyz, the editor's members page
 * (editors only, private, counts, search, tier filter, pages), members' emails on no other page, the
 * commands (`db:migrate`, `db:backup` while the server runs, `members:sync` repairing a mirror that
 * missed events), a store that is down (articles unaffected, honest /readyz, 503 pages), and a
 * migration that fails at start.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatedSamples } from '../support/articles';
import { startClerkBackend, type RunningBackend } from '../support/clerk-backend';
import {
  generateTestKeys,
  mintToken,
  readerClaims,
  serverEnv,
  sessionCookie,
  TEST_SITE_ORIGIN,
} from '../support/clerk-session';
import { createTestDatabase, STORE_KINDS, type TestDatabase } from '../support/databases';
import { loadCanaries } from '../support/fixtures';
import { DIST, ROOT } from '../support/paths';
import { startServer, type RunningServer } from '../support/server';
import { clerkEvent, newSigningSecret, svixHeaders, userJson } from '../support/svix';

const keys = generateTestKeys();
const readers = readerClaims();
const cookieOf = (reader: keyof typeof readers) => sessionCookie(mintToken(keys, readers[reader]));
const { PREMIUM, premiumArticle } = gatedSamples();
const canaries = loadCanaries();

/**
 * `node dist/server/members.mjs …`, as `npm run db:migrate|db:backup|members:sync` runs it. Not
 * spawnSync: the Backend API the sync calls runs in this process.
 */
function membersCommand(args: string[], env: Record<string, string>): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`${DIST}server/members.mjs`, ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: '', ...env },
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (out += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, out });
    });
  });
}

describe.each(STORE_KINDS)('the members’ store of a running server, %s', (kind) => {
  let database: TestDatabase;
  let server: RunningServer;
  const secret = newSigningSecret();
  const seeded = Array.from({ length: 120 }, (_, i) => ({
    id: `user_seed_${String(i).padStart(3, '0')}`,
    email: i === 7 ? 'a_b@example.test' : i === 8 ? 'axb@example.test' : `seed${i}@example.test`,
    premium: i % 10 === 0,
    createdAt: Date.UTC(2026, 0, 1) + i * 60_000,
  }));

  const get = async (path: string, cookie?: string) => {
    const response = await fetch(`${server.url}${path}`, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
    return { response, status: response.status, html: await response.text() };
  };
  const editorPage = (query = '') => get(`/editor/members/${query}`, cookieOf('editor'));
  const rows = (html: string) =>
    [...html.matchAll(/data-member="([^"]+)" data-tier="([^"]+)"/g)].map((m) => ({ id: m[1]!, tier: m[2]! }));

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    server = await startServer({
      ...serverEnv(keys, TEST_SITE_ORIGIN),
      ...database.env,
      CLERK_WEBHOOK_SIGNING_SECRET: secret,
    });
    for (const member of seeded) {
      const body = JSON.stringify(
        clerkEvent(
          'user.created',
          userJson(member.id, {
            email: member.email,
            publicMetadata: member.premium ? { tier: 'premium' } : {},
            createdAt: member.createdAt,
            updatedAt: member.createdAt,
          }),
        ),
      );
      const response = await fetch(`${server.url}/api/webhooks/clerk`, {
        method: 'POST',
        headers: svixHeaders(secret, body),
        body,
      });
      expect(response.status).toBe(200);
    }
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it('/readyz names the store’s kind and says it answers, and nothing about where it is', async () => {
    const { status, html } = await get('/readyz');
    expect(status).toBe(200);
    expect(JSON.parse(html).store).toEqual({ kind, reachable: true });
    for (const secretPart of Object.values(database.env)) expect(html).not.toContain(secretPart);
    expect(server.output()).not.toMatch(/opened by Astro itself/);
  });

  it('shows editors the members: counts per tier, newest first, in pages of 50', async () => {
    const { status, html, response } = await editorPage();
    expect(status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(html).toMatch(/data-count="all"[^>]*>\s*120\s*</);
    expect(html).toMatch(/data-count="premium"[^>]*>\s*12\s*</);
    expect(html).toMatch(/data-count="members"[^>]*>\s*108\s*</);
    const first = rows(html);
    expect(first).toHaveLength(50);
    expect(first[0]!.id).toBe('user_seed_119');
    expect(html).toContain('seed119@example.test');
    expect(html).toContain('Public metadata'); // where the premium members' tier comes from
    expect(html).toContain('href="/editor/members/?page=2"');
    expect(rows((await editorPage('?page=3')).html)).toHaveLength(20);
    // A page past the end shows the last one.
    expect(rows((await editorPage('?page=99')).html)).toHaveLength(20);
  });

  it('searches by email (any case, wildcards taken literally) and filters by tier', async () => {
    const premium = rows((await editorPage('?tier=premium')).html);
    expect(premium).toHaveLength(12);
    expect(premium.every((r) => r.tier === 'premium')).toBe(true);
    const search = await editorPage('?q=A_B%40EXAMPLE');
    expect(rows(search.html).map((r) => r.id)).toEqual(['user_seed_007']);
    expect(rows((await editorPage('?q=seed1&tier=premium')).html).map((r) => r.id)).toEqual([
      'user_seed_110',
      'user_seed_100',
      'user_seed_010',
    ]);
    const none = await editorPage('?q=nobody');
    expect(none.html).toContain('No member matches.');
  });

  it('is the editors’ page only: anyone else gets the ordinary 404', async () => {
    for (const cookie of [undefined, cookieOf('member'), cookieOf('premiumByMetadata')]) {
      const { status, html } = await get('/editor/members/', cookie);
      expect(status).toBe(404);
      expect(html).not.toContain('@example.test');
    }
  });

  it('no other page shows a member’s email or name', async () => {
    const pages: [string, string | undefined][] = [
      ['/', undefined],
      ['/articles/', undefined],
      [PREMIUM, cookieOf('premiumByMetadata')],
      ['/search/?q=example.test', cookieOf('member')],
      ['/account/', cookieOf('member')],
      ['/editor/', cookieOf('editor')],
      ['/rss.xml', undefined],
      ['/sitemap.xml', undefined],
      ['/readyz', undefined],
    ];
    for (const [path, cookie] of pages) {
      const { html } = await get(path, cookie);
      expect(html, path).not.toMatch(/@example\.test|Reader119|user_seed_/);
    }
  });

  it('npm run db:migrate finds the schema current; db:backup copies it while the server runs', async () => {
    const migrate = await membersCommand(['migrate'], database.env);
    expect(migrate.status, migrate.out).toBe(0);
    expect(migrate.out).toMatch(/schema current, nothing to apply/);
    const target = join(mkdtempSync(join(tmpdir(), 'members-backup-')), 'copy.db');
    const backup = await membersCommand(['backup', target], database.env);
    if (kind === 'postgres') {
      expect(backup.status).toBe(1);
      expect(backup.out).toMatch(/pg_dump/);
      return;
    }
    expect(backup.status, backup.out).toBe(0);
    expect(backup.out).toContain(`copied to ${target}`);
    const copy = new DatabaseSync(target, { readOnly: true });
    expect(copy.prepare('select count(*) as n from members').get()).toEqual({ n: 120 });
    copy.close();
  });

  describe('npm run members:sync', () => {
    let backend: RunningBackend;
    beforeAll(async () => {
      // Clerk as it is now; the webhooks for these changes never arrived.
      backend = await startClerkBackend({
        users: seeded
          .filter((m) => m.id !== 'user_seed_052') // deleted in Clerk
          .map((m) => ({
            id: m.id,
            email: m.email,
            firstName: 'Ada',
            lastName: 'Reader',
            createdAt: m.createdAt,
            updatedAt: m.id === 'user_seed_051' ? Date.now() : m.createdAt,
            publicMetadata: m.premium || m.id === 'user_seed_051' ? { tier: 'premium' } : {},
          })),
        organizations: [],
        memberships: [],
        subscriptions: {},
      });
    });
    afterAll(() => backend?.stop());

    it('repairs the mirror and says what it changed; the editor sees it', async () => {
      const env = { ...database.env, CLERK_SECRET_KEY: backend.secretKey, CLERK_API_URL: backend.url };
      const result = await membersCommand(['sync'], env);
      expect(result.status, result.out).toBe(0);
      expect(result.out).toMatch(/users: 0 new, 1 changed, 1 removed, 118 unchanged/);
      expect(result.out).toMatch(/tiers changed: 1\n\s+user_seed_051: members → premium/);
      expect(result.out).toMatch(/billing: not enabled/);
      const page = await editorPage();
      expect(page.html).toMatch(/data-count="premium"[^>]*>\s*13\s*</);
      expect(page.html).toMatch(/data-count="all"[^>]*>\s*119\s*</);
      expect(page.html).toContain('data-last-sync');
      expect(page.html).toMatch(/Last members sync: \d{4}-\d\d-\d\d/);
      expect((await editorPage('?q=seed52%40')).html).toContain('No member matches.');
      // Without the secret key it says what it needs.
      const keyless = await membersCommand(['sync'], { ...database.env, CLERK_SECRET_KEY: '' });
      expect(keyless.status).toBe(1);
      expect(keyless.out).toMatch(/set CLERK_SECRET_KEY/);
    });
  });
});

describe('workers sharing the SQLite store', () => {
  it('the primary migrates once; two workers write the same file at once without losing an event', async () => {
    const secret = newSigningSecret();
    const server = await startServer({
      ...serverEnv(keys, TEST_SITE_ORIGIN),
      GATEPOST_WORKERS: '2',
      CLERK_WEBHOOK_SIGNING_SECRET: secret,
    });
    try {
      // The server answers once one worker listens; the burst below is meant for both.
      await expect.poll(() => server.output().match(/Server listening at/g)?.length ?? 0, { timeout: 60_000 }).toBe(2);
      const posts = Array.from({ length: 60 }, async (_, i) => {
        const body = JSON.stringify(clerkEvent('user.created', userJson(`user_worker_${i}`)));
        // A new connection each time, so the cluster spreads them over both workers.
        const response = await fetch(`${server.url}/api/webhooks/clerk`, {
          method: 'POST',
          headers: { ...svixHeaders(secret, body), connection: 'close' },
          body,
        });
        return response.status;
      });
      expect(await Promise.all(posts)).toEqual(Array(60).fill(200));
      const page = await fetch(`${server.url}/editor/members/`, { headers: { cookie: cookieOf('editor') } });
      expect(await page.text()).toMatch(/data-count="all"[^>]*>\s*60\s*</);
      expect(server.output().match(/applied 0001_members/g)).toHaveLength(1);
      expect(
        new Set([...server.output().matchAll(/"pid":(\d+)[^\n]*"path":"\/api\/webhooks\/clerk"/g)].map((m) => m[1]))
          .size,
      ).toBe(2);
    } finally {
      await server.stop();
    }
  });
});

describe('a members’ store that is down', () => {
  const secret = newSigningSecret();
  const down = async (env: Record<string, string>) =>
    startServer({ ...serverEnv(keys, TEST_SITE_ORIGIN), CLERK_WEBHOOK_SIGNING_SECRET: secret, ...env });

  async function expectArticlesUnaffected(server: RunningServer) {
    const home = await fetch(`${server.url}/`);
    expect(home.status).toBe(200);
    const premium = await fetch(`${server.url}${PREMIUM}`, { headers: { cookie: cookieOf('premiumByMetadata') } });
    expect(premium.status).toBe(200);
    expect(await premium.text()).toContain(canaries[premiumArticle.slug]!);
  }

  it('PostgreSQL that does not answer: the server starts, articles are read as usual, /readyz says so, store pages 503', async () => {
    const server = await down({ DATABASE_URL: 'postgres://gatepost:hunter2@127.0.0.1:9/site' });
    try {
      await expectArticlesUnaffected(server);
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(200);
      const readiness = await ready.text();
      expect(JSON.parse(readiness).store).toEqual({ kind: 'postgres', reachable: false });
      expect(readiness).not.toMatch(/hunter2|127\.0\.0\.1:9/);
      const page = await fetch(`${server.url}/editor/members/`, { headers: { cookie: cookieOf('editor') } });
      expect(page.status).toBe(503);
      expect(await page.text()).toContain('data-store-unavailable');
      // A genuine event: Clerk is told to retry later.
      const body = JSON.stringify(clerkEvent('user.created', userJson('user_while_down')));
      const hook = await fetch(`${server.url}/api/webhooks/clerk`, {
        method: 'POST',
        headers: svixHeaders(secret, body),
        body,
      });
      expect(hook.status).toBe(503);
      expect(hook.headers.get('retry-after')).toBe('30');
      expect(server.output()).toMatch(/members' store unreachable/);
      expect(server.output()).not.toContain('hunter2');
    } finally {
      await server.stop();
    }
  });

  it('SQLite whose folder cannot be made: the same, and all is back once it can', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'members-down-'));
    const blocked = join(parent, 'data');
    writeFileSync(blocked, 'a file where the data folder should be');
    const server = await down({ GATEPOST_DATA_DIR: blocked });
    try {
      await expectArticlesUnaffected(server);
      expect((await (await fetch(`${server.url}/readyz`)).json()).store).toEqual({ kind: 'sqlite', reachable: false });
      const page = await fetch(`${server.url}/editor/members/`, { headers: { cookie: cookieOf('editor') } });
      expect(page.status).toBe(503);
      rmSync(blocked);
      expect((await (await fetch(`${server.url}/readyz`)).json()).store).toEqual({ kind: 'sqlite', reachable: true });
      expect((await fetch(`${server.url}/editor/members/`, { headers: { cookie: cookieOf('editor') } })).status).toBe(
        200,
      );
    } finally {
      await server.stop();
      rmSync(parent, { recursive: true, force: true });
    }
  });
});

describe('a migration that fails at start', () => {
  it('stops the server with a message naming it, and leaves the database as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'members-broken-'));
    try {
      // A table in the way of migration 0001.
      const db = new DatabaseSync(join(dir, 'gatepost.db'));
      db.exec('create table members (something text)');
      db.close();
      const error = await startServer({ GATEPOST_DATA_DIR: dir }).then(
        async (server) => {
          await server.stop();
          return new Error('the server started');
        },
        (e: unknown) => e as Error,
      );
      expect(error.message).toMatch(/Server exited with 1/);
      expect(error.message).toMatch(/migration 0001_members failed: .*the database is unchanged/);
      const after = new DatabaseSync(join(dir, 'gatepost.db'), { readOnly: true });
      const names = (
        after.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]
      ).map((r) => r.name);
      after.close();
      expect(names).not.toContain('organizations');
      expect(names).toContain('members');
      expect(existsSync(join(dir, 'gatepost.db'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
