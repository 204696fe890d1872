/**
 * Members' store benchmarks (`BENCH_ONLY=members npm run bench`): on SQLite, and on PostgreSQL when
 * GATEPOST_TEST_DATABASE_URL names a server (a fresh database per run, dropped after):
 *
 *   - webhook ingestion: BENCH_WEBHOOKS Svix-signed Clerk events (half `user.created`, then a
 *     `user.updated` each that changes the tier) posted to the built server's /api/webhooks/clerk by 16
 *     concurrent senders; events per second, p50 and p99 latency, errors;
 *   - the members sync (`dist/server/members.mjs sync`, as `npm run members:sync` runs it) of
 *     BENCH_MEMBERS users served by the Clerk stand-in's Backend API (10% on the Premium plan, 5% in the
 *     team organization), into an empty store: time, requests, the sync process's peak RSS.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DEMO_PLANS, startStandin, subscribe } from '@gatepost/clerk-standin';
import { clerkEvent, newSigningSecret, svixHeaders } from '@gatepost/clerk-standin/webhooks';
import { createTestDatabase, STORE_KINDS } from '../../support/databases.ts';
import { userJson } from '../../support/svix.ts';
import { median, options, readStatusKB, startServer } from './common.ts';

export interface IngestionResult {
  store: string;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

export interface SyncResult {
  store: string;
  users: number;
  seconds: number;
  peakRssMB: number;
  summary: string;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

async function ingestion(site: string, kind: 'sqlite' | 'postgres', count: number): Promise<IngestionResult> {
  const database = await createTestDatabase(kind);
  const secret = newSigningSecret();
  const server = await startServer(site, options.port + 7, {
    ...database.env,
    CLERK_WEBHOOK_SIGNING_SECRET: secret,
    GATEPOST_MEMBERS_SYNC_MINUTES: '0',
  });
  try {
    const url = `${server.base}/api/webhooks/clerk`;
    const half = Math.ceil(count / 2);
    // Signed beforehand: the figures are the server's, not the sender's HMACs.
    const messages = (phase: 'created' | 'updated') =>
      Array.from({ length: half }, (_, i) => {
        const id = `user_bench_${i}`;
        const at = Date.now() + (phase === 'updated' ? 1000 : 0);
        const body = JSON.stringify(
          clerkEvent(
            `user.${phase}`,
            userJson(id, {
              email: `bench-${i}@example.test`,
              publicMetadata: phase === 'updated' ? { tier: 'premium' } : {},
              updatedAt: at,
            }),
            at,
          ),
        );
        return { body, headers: svixHeaders(secret, body) };
      });
    const latencies: number[] = [];
    let errors = 0;
    const started = performance.now();
    for (const batch of [messages('created'), messages('updated')]) {
      let next = 0;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next < batch.length) {
            const message = batch[next++]!;
            const t0 = performance.now();
            try {
              const response = await fetch(url, { method: 'POST', headers: message.headers, body: message.body });
              await response.arrayBuffer();
              if (!response.ok) errors += 1;
            } catch {
              errors += 1;
            }
            latencies.push(performance.now() - t0);
          }
        }),
      );
    }
    const seconds = (performance.now() - started) / 1000;
    const sorted = latencies.sort((a, b) => a - b);
    return {
      store: kind,
      events: latencies.length,
      seconds,
      eventsPerSecond: Math.round(latencies.length / seconds),
      p50: Number(median(sorted).toFixed(1)),
      p99: Number(percentile(sorted, 0.99).toFixed(1)),
      errors,
    };
  } finally {
    await server.stop();
    await database.drop();
  }
}

async function sync(site: string, kind: 'sqlite' | 'postgres', users: number): Promise<SyncResult> {
  const standin = await startStandin({});
  const { instance } = standin;
  const premium = DEMO_PLANS.find((p) => p.slug === 'premium')!;
  const acme = instance.organizations.get('org_standin_acme')!;
  const now = Date.now();
  // Straight into the instance: createAccount checks every existing address, quadratic at this size.
  for (let i = 0; i < users; i++) {
    const account = {
      id: `user_bench_${i.toString().padStart(7, '0')}`,
      handle: `bench${i}`,
      note: 'benchmark account',
      email: `bench-${i}@example.test`,
      password: 'gatepost-demo',
      firstName: 'Bench',
      lastName: `Reader ${i}`,
      publicMetadata: i % 7 === 0 ? { tier: 'members' } : {},
      plans: [] as string[],
      features: [] as string[],
      memberships: [] as { id: string; organization: typeof acme; role: string; createdAt: number }[],
      createdAt: now + i,
      updatedAt: now + i,
    };
    instance.accounts.set(account.id, account);
    if (i % 10 === 0) subscribe(instance, account, premium);
    if (i % 20 === 1)
      account.memberships.push({ id: `orgmem_bench_${i}`, organization: acme, role: 'org:member', createdAt: now });
  }
  const database = await createTestDatabase(kind);
  try {
    const child = spawn(process.execPath, [join(site, 'dist/server/members.mjs'), 'sync'], {
      cwd: site,
      env: {
        ...process.env,
        ...database.env,
        CLERK_SECRET_KEY: instance.keys.secretKey,
        CLERK_API_URL: standin.apiUrl,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    let peakKB = 0;
    const poll = setInterval(() => (peakKB = Math.max(peakKB, readStatusKB(child.pid, 'VmHWM'))), 200);
    const started = performance.now();
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    clearInterval(poll);
    const seconds = (performance.now() - started) / 1000;
    if (code !== 0) throw new Error(`members sync failed (${code}):\n${output.slice(-2000)}`);
    return {
      store: kind,
      users,
      seconds,
      peakRssMB: Math.round(peakKB / 1024),
      summary: (/\d+ Backend API requests[^\n]*/.exec(output)?.[0] ?? '').trim(),
    };
  } finally {
    await database.drop();
    await standin.stop();
  }
}

export async function runMembersBench(site: string, log: (line: string) => void) {
  const users = Number(process.env.BENCH_MEMBERS ?? (options.smoke ? 2_000 : 100_000));
  const events = Number(process.env.BENCH_WEBHOOKS ?? (options.smoke ? 500 : 5_000));
  const results: { ingestion: IngestionResult[]; sync: SyncResult[] } = { ingestion: [], sync: [] };
  for (const kind of STORE_KINDS) {
    log(`members: webhook ingestion, ${events} events, ${kind}`);
    results.ingestion.push(await ingestion(site, kind, events));
    log(`members: sync of ${users} users, ${kind}`);
    results.sync.push(await sync(site, kind, users));
  }
  if (STORE_KINDS.length === 1) log('members: PostgreSQL not measured (set GATEPOST_TEST_DATABASE_URL)');
  return results;
}
