/**
 * Identity isolation under concurrent load, and behaviour when Clerk's API is unreachable, hangs or
 * fails, or the server is killed under load. Sizes are small for CI; `npm run test:load` runs larger
 * (LOAD_REQUESTS, LOAD_CONCURRENCY). All traffic goes to 127.0.0.1 and stops by itself.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedSourceArticles } from '../support/articles';
import {
  generateTestKeys,
  mintToken,
  readerClaims,
  serverEnv,
  sessionCookie,
  type TestKeys,
} from '../support/clerk-session';
import { describeLoad, runIdentityLoad, type Identity } from '../support/load';
import { loadCanaries } from '../support/fixtures';
import { freePort, startServer, type RunningServer } from '../support/server';

const canaries = loadCanaries();
const premium = publishedSourceArticles().find((a) => a.access === 'premium')!;
const REQUESTS = Number(process.env.LOAD_REQUESTS ?? 2000);
const CONCURRENCY = Number(process.env.LOAD_CONCURRENCY ?? 50);

let keys: TestKeys;
beforeAll(() => {
  keys = generateTestKeys();
});

function identities(): Identity[] {
  const r = readerClaims();
  const make = (name: string, claims: (typeof r)[keyof typeof r], readsPremium: boolean): Identity => ({
    name,
    userId: claims.userId,
    cookie: sessionCookie(mintToken(keys, { ...claims, exp: 3600 })),
    readsPremium,
  });
  return [
    { name: 'anonymous', userId: null, cookie: '', readsPremium: false },
    make('member', r.member, false),
    make('premium', r.premiumByMetadata, true),
    make('team', r.premiumByOrgPlan, true),
    make('editor', r.editor, true),
  ];
}

describe('identity isolation under load', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer(serverEnv(keys, 'http://127.0.0.1'));
  });
  afterAll(() => server?.stop());

  it(`${REQUESTS} mixed requests at concurrency ${CONCURRENCY}: each sees only its own identity, no 5xx`, async () => {
    const result = await runIdentityLoad({
      baseURL: server.url,
      identities: identities(),
      premiumPath: `/members/${premium.slug}/`,
      premiumCanary: canaries[premium.slug]!,
      requests: REQUESTS,
      concurrency: CONCURRENCY,
    });
    console.log(`[load] ${describeLoad(result)}`);
    expect(result.requests).toBe(REQUESTS);
    expect(result.errors).toEqual([]);
    expect(result.status5xx).toBe(0);
    expect(result.mismatches).toEqual([]);
  });
});

describe('faults', () => {
  let hanging: Server;
  let failing: Server;
  let hangingPort: number;
  let failingPort: number;
  beforeAll(async () => {
    // A Clerk API that accepts connections and never answers, and one that always fails.
    hanging = createServer(() => undefined);
    failing = createServer((_req, res) =>
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"errors":[]}'),
    );
    hangingPort = await freePort();
    failingPort = await freePort();
    await new Promise<void>((r) => hanging.listen(hangingPort, '127.0.0.1', r));
    await new Promise<void>((r) => failing.listen(failingPort, '127.0.0.1', r));
  });
  afterAll(() => {
    hanging.closeAllConnections();
    hanging.close();
    failing.close();
  });

  for (const kind of ['hangs', 'fails'] as const) {
    it(`without CLERK_JWT_KEY and a Clerk API that ${kind}: gated pages fail closed within the bound, public pages unaffected`, async () => {
      const { CLERK_JWT_KEY: _omit, ...env } = serverEnv(keys, 'http://127.0.0.1');
      const server = await startServer({
        ...env,
        CLERK_API_URL: `http://127.0.0.1:${kind === 'hangs' ? hangingPort : failingPort}`,
        GATEPOST_AUTH_TIMEOUT_MS: '1500',
      });
      try {
        expect(server.output()).toContain('CLERK_JWT_KEY is not set');
        const cookie = sessionCookie(mintToken(keys, readerClaims().premiumByMetadata));
        const started = Date.now();
        const gated = fetch(`${server.url}/members/${premium.slug}/`, { headers: { cookie } }).then(async (r) => ({
          status: r.status,
          body: await r.text(),
          ms: Date.now() - started,
        }));
        // While that waits, public pages answer at once.
        const t0 = Date.now();
        const home = await fetch(`${server.url}/`);
        await home.text();
        expect(home.status).toBe(200);
        expect(Date.now() - t0).toBeLessThan(1000);
        const result = await gated;
        expect(result.status).toBe(200);
        expect(result.ms).toBeLessThan(1500 + 1500);
        expect(result.body).toContain('data-paywall="sign-in"');
        expect(result.body).not.toContain(canaries[premium.slug]!);
      } finally {
        await server.stop();
      }
    });
  }

  it('killed under load and restarted, the server serves correct content straight away', async () => {
    const first = await startServer(serverEnv(keys, 'http://127.0.0.1'));
    const load = runIdentityLoad({
      baseURL: first.url,
      identities: identities(),
      premiumPath: `/members/${premium.slug}/`,
      premiumCanary: canaries[premium.slug]!,
      requests: 100_000,
      concurrency: 20,
      maxMs: 3000,
    });
    await new Promise((r) => setTimeout(r, 500));
    first.process.kill('SIGKILL');
    const during = await load;
    // Requests cut off by the kill fail as connection errors, never as wrong content.
    expect(during.mismatches).toEqual([]);
    expect(during.status5xx).toBe(0);

    const second = await startServer(serverEnv(keys, 'http://127.0.0.1'));
    try {
      const check = await runIdentityLoad({
        baseURL: second.url,
        identities: identities(),
        premiumPath: `/members/${premium.slug}/`,
        premiumCanary: canaries[premium.slug]!,
        requests: 50,
        concurrency: 10,
      });
      expect(check.errors).toEqual([]);
      expect(check.mismatches).toEqual([]);
      expect(check.status5xx).toBe(0);
    } finally {
      await second.stop();
    }
  });
});
