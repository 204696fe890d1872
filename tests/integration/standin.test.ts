/**
 * The local Clerk stand-in (packages/clerk-standin) from the outside: where it listens, that its keys live and
 * die with one run, and that the production server has nothing to do with it.
 *
 * Runs against the production build in dist/ (`npm test` builds first); the stand-in's browser flows
 * are covered by the `standin` Playwright project (tests/e2e/standin-*.spec.ts).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoSite, type DemoSite } from '../../tools/demo.ts';
import { startStandin } from '@gatepost/clerk-standin';
import { loadCanaries, publishedSourceArticles } from '../support/articles';
import { decodePayload, sessionCookie } from '../support/clerk-session';
import { scanForLeaks } from '../support/leak-scan';
import { DIST, ROOT } from '../support/paths';
import { startServer } from '../support/server';

const canaries = loadCanaries();
const premiumArticle = publishedSourceArticles().find((a) => a.access === 'premium')!;
const PREMIUM = `/members/${premiumArticle.slug}/`;
const canary = canaries[premiumArticle.slug]!;

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Every address of this machine except 127.0.0.1: IPv6 loopback and the network interfaces. */
function otherAddresses(): string[] {
  const addresses = Object.values(networkInterfaces())
    .flat()
    .map((info) => info?.address)
    .filter((address): address is string => !!address && address !== '127.0.0.1');
  return [...new Set(['::1', ...addresses])];
}

/** Process ids of a process's children (Linux: /proc; elsewhere: pgrep). */
function childProcesses(pid: number): string[] {
  const text =
    process.platform === 'linux'
      ? readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      : spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).stdout;
  return text.split(/\s+/).filter(Boolean);
}

describe('the stand-in', () => {
  let demo: DemoSite;
  const log: string[] = [];

  beforeAll(async () => {
    // The production build behind a stand-in, exactly as the demo runs it (minus the demo build's badge).
    demo = await startDemoSite({
      port: 0,
      publicHost: '127.0.0.1',
      outDir: ROOT,
      build: false,
      log: (l) => log.push(l),
    });
  });
  afterAll(() => demo?.stop());

  it('listens on 127.0.0.1 only: its front door, its Backend API and the Gatepost server behind it', async () => {
    const ports = [demo.standin.port, demo.standin.apiPort, Number(new URL(demo.siteUrl).port)];
    const others = otherAddresses();
    // The loop below must try at least one address besides 127.0.0.1, or it would prove nothing.
    expect(others).toContain('::1');
    for (const port of ports) {
      expect(await canConnect('127.0.0.1', port), `127.0.0.1:${port}`).toBe(true);
      for (const address of others) expect(await canConnect(address, port), `${address}:${port}`).toBe(false);
    }
  });

  it('serves the site on its front door and Clerk on the same origin, under /__clerk', async () => {
    const home = await fetch(`${demo.standin.origin}/`);
    expect(home.status).toBe(200);
    const settings = (await (await fetch(`${demo.standin.origin}/api/clerk-config.json`)).json()) as Record<
      string,
      unknown
    >;
    expect(settings).toMatchObject({
      enabled: true,
      proxyUrl: '/__clerk',
      publishableKey: expect.stringMatching(/^pk_live_/),
    });
    const environment = await fetch(`${demo.standin.origin}/__clerk/v1/environment`);
    expect(await environment.json()).toMatchObject({ object: 'environment' });
    const bundle = await fetch(`${demo.standin.origin}/__clerk/npm/@clerk/clerk-js@6/dist/clerk.browser.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toContain('javascript');
    // Compressed as Clerk's CDN sends it (the page's weight in the demo depends on it), and cacheable.
    expect(bundle.headers.get('content-encoding')).toMatch(/^(br|gzip)$/);
    expect(bundle.headers.get('cache-control')).toMatch(/^public, max-age=\d+/);
    const body = await bundle.text();
    expect(body.length).toBeGreaterThan(Number(bundle.headers.get('content-length')) * 2);
    // Anything the stand-in lacks answers in Clerk's error format instead of hanging.
    const missing = await fetch(`${demo.standin.origin}/__clerk/v1/waitlist`, { method: 'POST' });
    expect(missing.status).toBe(422);
    expect(await missing.json()).toMatchObject({ errors: [{ code: 'not_implemented' }] });
  });

  it("answers its Backend API only with this run's secret key, and keeps it off the site's origin", async () => {
    const { apiUrl, instance } = demo.standin;
    const user = 'user_standin_premium';
    expect((await fetch(`${apiUrl}/v1/users/${user}`)).status).toBe(401);
    const ok = await fetch(`${apiUrl}/v1/users/${user}`, {
      headers: { authorization: `Bearer ${instance.keys.secretKey}` },
    });
    expect(await ok.json()).toMatchObject({ id: user, public_metadata: { tier: 'premium' } });
    const viaSite = await fetch(`${demo.standin.origin}/v1/users/${user}`, {
      headers: { authorization: `Bearer ${instance.keys.secretKey}` },
    });
    expect(viaSite.status).toBe(404);
    expect((await fetch(`${demo.standin.origin}/__admin/accounts`)).status).toBe(404);
  });

  it("rejects a token from an earlier run: the next run's site does not know its key", async () => {
    // Run 1: a stand-in whose premium reader has a valid, freshly signed session token.
    const earlier = await startStandin({ publicHost: '127.0.0.1' });
    const account = earlier.instance.findByEmail('premium@gatepost.test')!;
    const session = earlier.instance.startSession(earlier.instance.createClient(), account);
    const oldToken = earlier.instance.mintToken(session, demo.standin.origin);
    await earlier.stop();

    // Run 2 (the demo above, with its own keys): the same token is worth nothing.
    const { instance } = demo.standin;
    expect(instance.keys.jwtKey).not.toBe(earlier.instance.keys.jwtKey);
    const rejected = await fetch(`${demo.standin.origin}${PREMIUM}`, { headers: { cookie: sessionCookie(oldToken) } });
    const page = await rejected.text();
    expect(page).not.toContain(canary);
    expect(page).toContain('data-paywall="sign-in"');

    // A page load (what a browser sends) is no different: Clerk's SDK reports a bad signature.
    const load = await fetch(`${demo.standin.origin}${PREMIUM}`, {
      redirect: 'manual',
      headers: { cookie: sessionCookie(oldToken), 'sec-fetch-dest': 'document', accept: 'text/html' },
    });
    expect(load.status).toBe(200);
    expect(load.headers.get('x-clerk-auth-reason')).toBe('token-invalid-signature');
    expect(await load.text()).not.toContain(canary);

    // The current run's own token for the same reader does read the article.
    const current = instance.startSession(instance.createClient(), instance.findByEmail('premium@gatepost.test')!);
    const fresh = await fetch(`${demo.standin.origin}${PREMIUM}`, {
      headers: { cookie: sessionCookie(instance.mintToken(current, demo.standin.origin)) },
    });
    expect(await fresh.text()).toContain(canary);
  });

  it("refreshes a page load's session through its handshake, on the site's origin", async () => {
    const { instance, origin } = demo.standin;
    const client = instance.createClient();
    const session = instance.startSession(client, instance.findByEmail('premium@gatepost.test')!);
    const token = instance.mintToken(session, origin);
    // `__client_uat` newer than the token: Clerk's SDK wants a fresh token before trusting this one.
    const stale = `__session=${token}; __client_uat=${Number(decodePayload(token).iat) + 60}`;
    const load = await fetch(`${origin}${PREMIUM}`, {
      redirect: 'manual',
      headers: { cookie: stale, 'sec-fetch-dest': 'document', accept: 'text/html' },
    });
    expect(load.status).toBe(307);
    const handshake = new URL(load.headers.get('location')!);
    expect(handshake.origin).toBe(origin);
    expect(handshake.pathname).toBe('/__clerk/v1/client/handshake');
    expect(handshake.searchParams.get('redirect_url')).toBe(`${origin}${PREMIUM}`);

    // The stand-in knows this browser by its client cookie, sets fresh cookies and sends it back.
    const back = await fetch(handshake, { redirect: 'manual', headers: { cookie: `__client=${client.id}` } });
    expect(back.status).toBe(307);
    expect(back.headers.get('location')).toBe(`${origin}${PREMIUM}`);
    const cookies = new Map(
      back.headers.getSetCookie().map((line) => {
        const [pair] = line.split(';');
        const index = pair!.indexOf('=');
        return [pair!.slice(0, index), decodeURIComponent(pair!.slice(index + 1))] as const;
      }),
    );
    expect(Number(decodePayload(cookies.get('__session')!).iat)).toBeGreaterThanOrEqual(
      Number(decodePayload(token).iat),
    );
    const article = await fetch(`${origin}${PREMIUM}`, {
      redirect: 'manual',
      headers: {
        cookie: `__session=${cookies.get('__session')}; __client_uat=${cookies.get('__client_uat')}`,
        'sec-fetch-dest': 'document',
        accept: 'text/html',
      },
    });
    expect(article.status).toBe(200);
    expect(await article.text()).toContain(canary);

    // A browser the stand-in does not know (signed out, or from an earlier run) is signed out cleanly.
    const unknown = await fetch(handshake, { redirect: 'manual', headers: { cookie: '__client=client_gone' } });
    expect(unknown.status).toBe(307);
    expect(unknown.headers.getSetCookie()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^__client_uat=0;/), expect.stringMatching(/^__session=;/)]),
    );
  });

  it('refuses to redirect a handshake to another site', async () => {
    const away = `${demo.standin.origin}/__clerk/v1/client/handshake?redirect_url=${encodeURIComponent('https://evil.example/')}`;
    const response = await fetch(away, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });
});

describe('the production server', () => {
  it('contains no stand-in code and no demo badge', () => {
    const markers = ['clerk-standin', 'clerk.standin.localhost', 'LOCAL DEMO SIGN-IN', 'data-demo-signin', '__admin/'];
    const { leaks, filesScanned } = scanForLeaks(DIST, markers);
    expect(filesScanned).toBeGreaterThan(30);
    expect(leaks).toEqual([]);
    // Positive control: every marker is found in the stand-in's package, the demo launcher or the badge.
    const sources = ['packages/clerk-standin', 'tools', 'src/components'].flatMap(
      (dir) => scanForLeaks(join(ROOT, dir), markers).leaks,
    );
    expect(new Set(sources.map((found) => found.needle))).toEqual(new Set(markers));
  });

  it('started alone (node dist/server/gatepost.mjs), never starts or contacts the stand-in', async () => {
    const standin = await startStandin({ publicHost: '127.0.0.1' });
    const server = await startServer({
      PUBLIC_CLERK_PUBLISHABLE_KEY: '',
      CLERK_SECRET_KEY: '',
      CLERK_JWT_KEY: '',
      NODE_OPTIONS: `--import=${ROOT}tests/support/count-network.mjs`,
    });
    try {
      for (const path of [
        '/',
        '/sign-in/',
        '/account/',
        PREMIUM,
        '/api/clerk-config.json',
        '/__clerk/v1/environment',
      ]) {
        const response = await fetch(`${server.url}${path}`, { headers: { cookie: '__client_uat=1' } });
        expect(response.status, path).toBeLessThan(500);
      }
      // Its own page for the proxy path is a 404: nothing on the production server answers for Clerk.
      expect((await fetch(`${server.url}/__clerk/v1/environment`)).status).toBe(404);
      expect(server.output()).toContain('Clerk is not configured');
      expect(server.output()).not.toMatch(/\[gatepost-test-net\]/);
      // Nothing told the server where the stand-in is; it must not have found it some other way.
      expect(standin.instance.stats.requests).toBe(0);
      // No process of its own: a stand-in would run as a child of the server.
      expect(childProcesses(server.process.pid!)).toEqual([]);
    } finally {
      await server.stop();
      await standin.stop();
    }
  });
});
