/**
 * Gatepost's own server (src/server) on the built site: compression, precompressed files, method
 * rules, health and readiness, one log line per request, graceful shutdown and worker replacement.
 */
import { createServer, request, type Server } from 'node:http';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { createPublicKey } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadCanaries, publishedSourceArticles } from '../support/articles';
import { generateTestKeys, mintToken, readerClaims, serverEnv, sessionCookie } from '../support/clerk-session';
import { useKeyedServer } from '../support/fixtures';
import { DIST } from '../support/paths';
import { MIN_BYTES } from '../../src/server/compression';
import { startServer } from '../support/server';

const base = () => inject('baseURL');
const keyed = useKeyedServer();
const premium = publishedSourceArticles().find((a) => a.access === 'premium')!;
const canaries = loadCanaries();

/** The response's bytes exactly as sent (fetch() would decompress them). */
function get(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ response: { status: number; headers: Headers }; body: Buffer }>((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers))
          if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
        resolve({ response: { status: res.statusCode ?? 0, headers: responseHeaders }, body: Buffer.concat(chunks) });
      });
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

function decode(encoding: string | null, body: Buffer): Buffer {
  if (encoding === 'br') return brotliDecompressSync(body);
  if (encoding === 'gzip') return gunzipSync(body);
  return body;
}

describe('compression', () => {
  const cases = () => [
    { label: 'static page', path: '/' },
    { label: 'static feed', path: '/rss.xml' },
    { label: 'rendered page', path: `/members/${premium.slug}/` },
    { label: 'rendered sign-in page', path: '/sign-in/' },
    { label: 'rendered JSON', path: '/api/clerk-config.json' },
  ];

  it('negotiates brotli or gzip by Accept-Encoding, and the bytes decompress to the plain response', async () => {
    for (const { label, path } of cases()) {
      const plain = await get(`${base()}${path}`);
      expect(plain.response.status, label).toBe(200);
      expect(plain.response.headers.get('content-encoding'), label).toBeNull();
      for (const [accept, expected] of [
        ['br', 'br'],
        ['gzip', 'gzip'],
        ['gzip, deflate, br, zstd', 'br'],
        ['br;q=0.5, gzip', 'gzip'],
      ] as const) {
        const { response, body } = await get(`${base()}${path}`, { 'accept-encoding': accept });
        // Below MIN_BYTES a body is sent as it is: compressing it would save less than a packet.
        const encoding = plain.body.length >= MIN_BYTES ? expected : null;
        expect(response.headers.get('content-encoding'), `${label} ${accept}`).toBe(encoding);
        expect(response.headers.get('vary') ?? '', label).toMatch(/accept-encoding/i);
        if (encoding) expect(body.length, label).toBeLessThan(plain.body.length);
        expect(decode(encoding, body).equals(plain.body), `${label} ${accept}`).toBe(true);
      }
      const identity = await get(`${base()}${path}`, { 'accept-encoding': 'identity' });
      expect(identity.response.headers.get('content-encoding'), label).toBeNull();
    }
  });

  it("compresses a premium reader's page for that reader only: still private, no-store", async () => {
    const cookie = sessionCookie(mintToken(keyed.keys, readerClaims().premiumByMetadata));
    const { response, body } = await get(`${keyed.server.url}/members/${premium.slug}/`, {
      cookie,
      'accept-encoding': 'br',
    });
    expect(response.headers.get('content-encoding')).toBe('br');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(decode('br', body).toString()).toContain(canaries[premium.slug]!);
  });

  it('sends the build-time .br/.gz files beside static files as they are, never compressing files at run time', async () => {
    const css = readFileSync(`${DIST}client/index.html`, 'utf8').match(/href="(\/_astro\/[^"]+\.css)"/)?.[1];
    expect(css).toBeTruthy();
    for (const [path, file] of [
      ['/', 'index.html'],
      [css!, css!.slice(1)],
    ] as const) {
      for (const [accept, ext] of [
        ['br', 'br'],
        ['gzip', 'gz'],
      ] as const) {
        expect(existsSync(`${DIST}client/${file}.${ext}`), `${file}.${ext}`).toBe(true);
        const { response, body } = await get(`${base()}${path}`, { 'accept-encoding': accept });
        expect(body.equals(readFileSync(`${DIST}client/${file}.${ext}`)), `${path} ${accept}`).toBe(true);
        expect(Number(response.headers.get('content-length'))).toBe(body.length);
      }
    }
    // robots.txt is text, but not one of the compressed types: sent as it is, even when brotli is welcome.
    const robots = await get(`${base()}/robots.txt`, { 'accept-encoding': 'br, gzip' });
    expect(robots.response.headers.get('content-encoding')).toBeNull();
    expect(robots.body.equals(readFileSync(`${DIST}client/robots.txt`))).toBe(true);
  });
});

describe('methods', () => {
  it('refuses POST on routes that do not declare it, with the methods they allow', async () => {
    for (const path of ['/readyz', '/healthz', '/no-such-page', '/favicon.svg', `/members/${premium.slug}/`]) {
      const response = await fetch(`${base()}${path}`, {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      });
      await response.arrayBuffer();
      expect(response.status, path).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });
});

describe('health and readiness', () => {
  it('/healthz says the process is alive; /readyz that content is loaded and whether Clerk is configured', async () => {
    const health = await fetch(`${base()}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers.get('cache-control')).toMatch(/no-store/);
    expect(await health.json()).toEqual({ status: 'ok' });

    const keyless = await fetch(`${base()}/readyz`);
    expect(keyless.status).toBe(200);
    expect(keyless.headers.get('cache-control')).toMatch(/no-store/);
    const state = (await keyless.json()) as { status: string; articles: number; clerk: string };
    expect(state.status).toBe('ready');
    expect(state.articles).toBe(publishedSourceArticles().length);
    expect(state.clerk).toBe('not configured');

    const withKeys = await fetch(`${keyed.server.url}/readyz`, { headers: { cookie: '__session=garbage' } });
    const text = await withKeys.text();
    expect(withKeys.status).toBe(200);
    expect(JSON.parse(text).clerk).toBe('configured');
    expect(text).not.toContain(keyed.keys.secretKey);
    expect(text).not.toContain('BEGIN PUBLIC KEY');
  });
});

describe('one address per page', () => {
  it('redirects a page asked for without its trailing slash (308, query kept); its canonical link has the slash', async () => {
    for (const [path, location] of [
      ['/about', '/about/'],
      ['/articles?page=2', '/articles/?page=2'],
      ['/pricing?return=%2Fmembers%2Fx%2F', '/pricing/?return=%2Fmembers%2Fx%2F'],
      ['/search?q=fonts', '/search/?q=fonts'],
    ] as const) {
      const response = await fetch(`${base()}${path}`, { redirect: 'manual' });
      expect(response.status, path).toBe(308);
      expect(response.headers.get('location'), path).toBe(location);
    }
    // Clerk's path-routed pages keep their addresses.
    expect((await fetch(`${base()}/sign-in/factor-one`, { redirect: 'manual' })).status).toBe(200);
    // Never towards another host.
    expect((await fetch(`${base()}//about`, { redirect: 'manual' })).headers.get('location')).toBeNull();
    const signedIn = await fetch(`${keyed.server.url}/members/${premium.slug}`, {
      headers: { cookie: sessionCookie(mintToken(keyed.keys, readerClaims().premiumByMetadata)) },
    });
    expect(signedIn.status).toBe(200);
    const canonical = /<link rel="canonical" href="([^"]*)"/.exec(await signedIn.text())?.[1];
    expect(canonical).toMatch(new RegExp(`/members/${premium.slug}/$`));
  });
});

describe('request log', () => {
  it('writes one line per request with method, path, status and time, never the query or a cookie', async () => {
    const marker = `log-${Date.now()}`;
    const response = await fetch(`${keyed.server.url}/sign-in/${marker}?redirect_url=secret-query-value`, {
      headers: { cookie: '__session=secret-cookie-value' },
    });
    await response.arrayBuffer();
    const linesFor = () =>
      keyed.server
        .output()
        .split('\n')
        .filter((line) => line.includes(marker));
    // The line is written when the response finishes, which may be just after the client has it all.
    await expect.poll(linesFor, { timeout: 5000 }).toHaveLength(1);
    const lines = linesFor();
    expect(JSON.parse(lines[0]!)).toMatchObject({
      method: 'GET',
      path: `/sign-in/${marker}`,
      status: response.status,
      ms: expect.any(Number),
    });
    expect(keyed.server.output()).not.toContain('secret-query-value');
    expect(keyed.server.output()).not.toContain('secret-cookie-value');
  });
});

describe('graceful shutdown', () => {
  /** Clerk's Backend API, answering for its keys only after `delayMs` (a slow Clerk). */
  let api: Server;
  let asked: () => void;
  const jwksAsked = new Promise<void>((resolve) => (asked = resolve));
  const keys = generateTestKeys();
  const delayMs = 2500;
  beforeAll(async () => {
    const jwk = {
      ...createPublicKey(keys.jwtKey).export({ format: 'jwk' }),
      kid: 'ins_test',
      alg: 'RS256',
      use: 'sig',
    };
    api = createServer((req, res) => {
      if (!req.url?.startsWith('/v1/jwks')) {
        res.writeHead(404).end();
        return;
      }
      asked();
      setTimeout(
        () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })),
        delayMs,
      );
    });
    api.listen(0, '127.0.0.1');
    await once(api, 'listening');
  });
  afterAll(() => new Promise<void>((resolve) => api.close(() => resolve())));

  it('on SIGTERM stops accepting, finishes the request in flight, and exits 0', async () => {
    const address = api.address() as { port: number };
    // Without CLERK_JWT_KEY, Clerk fetches its keys from the Backend API before it can verify a session.
    const { CLERK_JWT_KEY: _networkless, ...env } = serverEnv(keys, 'http://127.0.0.1');
    const server = await startServer({ ...env, CLERK_API_URL: `http://127.0.0.1:${address.port}` });
    const exited = new Promise<number | null>((resolve) => server.process.once('exit', (code) => resolve(code)));
    const cookie = sessionCookie(mintToken(keys, readerClaims().premiumByMetadata));
    const inFlight = fetch(`${server.url}/members/${premium.slug}/`, { headers: { cookie } }).then(async (r) => ({
      status: r.status,
      html: await r.text(),
    }));
    await jwksAsked;
    server.process.kill('SIGTERM');
    // No longer accepting once the signal is handled: refused, or 503 on a connection already open.
    await expect
      .poll(
        () =>
          fetch(`${server.url}/healthz`).then(
            (r) => r.status,
            () => 'refused',
          ),
        { timeout: 10_000 },
      )
      .toBeOneOf([503, 'refused']);
    const page = await inFlight;
    expect(page.status).toBe(200);
    expect(page.html).toContain(canaries[premium.slug]!);
    expect(await exited).toBe(0);
  });
});

describe('workers', () => {
  it('GATEPOST_WORKERS=2 runs two workers and replaces one that is killed', async () => {
    const server = await startServer({ GATEPOST_WORKERS: '2' });
    try {
      const listening = () =>
        [...server.output().matchAll(/"pid":(\d+)[^\n]*"msg":"Server listening at/g)].map((m) => Number(m[1]));
      const waitFor = async (ok: () => boolean) => {
        for (let i = 0; i < 300 && !ok(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
        expect(ok()).toBe(true);
      };
      await waitFor(() => new Set(listening()).size === 2);
      const [victim] = listening();
      process.kill(victim!, 'SIGKILL');
      await waitFor(() => new Set(listening()).size === 3);
      expect(server.output()).toMatch(new RegExp(`worker ${victim} exited \\(SIGKILL\\)`));
      for (let i = 0; i < 6; i++) expect((await fetch(`${server.url}/`)).status).toBe(200);
      const exited = new Promise<number | null>((resolve) => server.process.once('exit', (code) => resolve(code)));
      server.process.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      await server.stop();
    }
  });
});
