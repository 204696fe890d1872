/**
 * Gated pages for readers without a session, rendered once and sent from memory
 * (src/server/anonymous-pages.ts, src/clerk/signed-out.ts), against the built server with real Clerk
 * verification.
 *
 * For each cookie/query/header combination: whether the server took that path (its log line says
 * `"page":"hit"`), and that what it sent is what the full path sends for the same request (the same
 * request plus a query parameter no page reads, which always renders), so the path is taken only where
 * Clerk decides "signed out" without a handshake. Member text never enters what is kept.
 */
import { getCookieSuffix } from '@clerk/shared/keys';
import { get as httpGet } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { createGiftToken, giftConfigFromEnv } from '../../src/gifts/token';
import { publishedSourceArticles } from '../support/articles';
import { mintToken, readerClaims, sessionCookie } from '../support/clerk-session';
import { loadCanaries, useKeyedServer } from '../support/fixtures';

const keyed = useKeyedServer();
const canaries = loadCanaries();
const published = publishedSourceArticles();
const premium = published.find((a) => a.access === 'premium')!;
const members = published.find((a) => a.access === 'members')!;
const path = `/members/${premium.slug}/`;
const readers = readerClaims();

let suffix = '';
beforeAll(async () => {
  suffix = await getCookieSuffix(keyed.keys.publishableKey);
});

interface Sent {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Headers that belong to the connection or the framing, not to what the page is. */
const FRAMING = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

async function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Sent> {
  const response = await fetch(`${keyed.server.url}${url}`, { method, headers, redirect: 'manual' });
  const body = await response.text();
  const kept = [...response.headers].filter(([name]) => !FRAMING.has(name));
  return { status: response.status, headers: Object.fromEntries(kept), body };
}

const requestLines = () => keyed.server.output().match(/"msg":"request"/g)?.length ?? 0;
const hits = () => keyed.server.output().match(/"page":"hit"/g)?.length ?? 0;

/** Waits until the server's log has taken in every request sent so far (lines arrive through a pipe). */
async function settle() {
  let last = -1;
  while (requestLines() !== last) {
    last = requestLines();
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Sends one request and reports whether the server answered it from memory. */
async function probe(url: string, headers: Record<string, string> = {}, method = 'GET') {
  await settle();
  const hitsBefore = hits();
  const sent = await get(url, headers, method);
  await settle();
  return { sent, fromMemory: hits() > hitsBefore };
}

/** A response's bytes as sent, not decoded. */
function rawBody(url: string, headers: Record<string, string>): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    httpGet(`${keyed.server.url}${url}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks)));
    }).on('error', reject),
  );
}

/** The same request through the full path: a query parameter no page reads keeps it off the fast path. */
const fullPath = (url: string, headers: Record<string, string>) =>
  get(`${url}${url.includes('?') ? '&' : '?'}full-path=1`, headers);

const premiumToken = () => mintToken(keyed.keys, readers.premiumByMetadata);
const iatOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).iat as number;

interface Case {
  name: string;
  fromMemory: boolean;
  url?: string;
  headers?: () => Record<string, string>;
  /** What the reader must get. */
  sees: 'preview' | 'full text';
}

const cases: Case[] = [
  { name: 'no cookies at all', fromMemory: true, sees: 'preview' },
  {
    name: 'only analytics cookies',
    fromMemory: true,
    headers: () => ({ cookie: '_ga=GA1.2.123.456; _fbp=fb.1.2.3; theme=dark' }),
    sees: 'preview',
  },
  {
    name: 'signed out in the browser (__client_uat=0)',
    fromMemory: true,
    headers: () => ({ cookie: '__client_uat=0' }),
    sees: 'preview',
  },
  {
    name: "signed out, the instance's suffixed cookies",
    fromMemory: true,
    headers: () => ({ cookie: `__client_uat_${suffix}=0; __client_uat=0` }),
    sees: 'preview',
  },
  // Not "no Clerk state" by the fast path's plain rule (only `0` is), so Clerk decides: signed out.
  { name: 'an empty __client_uat', fromMemory: false, headers: () => ({ cookie: '__client_uat=' }), sees: 'preview' },
  {
    name: 'newsletter tracking parameters',
    fromMemory: true,
    url: `${path}?utm_source=news&utm_medium=email`,
    sees: 'preview',
  },
  {
    name: 'a browser document request',
    fromMemory: true,
    headers: () => ({ accept: 'text/html,application/xhtml+xml', 'sec-fetch-dest': 'document' }),
    sees: 'preview',
  },
  {
    name: 'a valid premium session',
    fromMemory: false,
    headers: () => ({ cookie: sessionCookie(premiumToken()) }),
    sees: 'full text',
  },
  {
    name: "a valid premium session in the instance's suffixed cookies",
    fromMemory: false,
    headers: () => {
      const token = premiumToken();
      return { cookie: `__session_${suffix}=${token}; __client_uat_${suffix}=${iatOf(token) - 5}` };
    },
    sees: 'full text',
  },
  {
    name: 'a session token in the Authorization header',
    fromMemory: false,
    headers: () => ({ authorization: `Bearer ${premiumToken()}` }),
    sees: 'full text',
  },
  {
    name: 'an expired session',
    fromMemory: false,
    headers: () => ({
      cookie: sessionCookie(
        mintToken(keyed.keys, { ...readers.premiumByMetadata, iat: -7200, nbf: -7200, exp: -3600 }),
      ),
    }),
    sees: 'preview',
  },
  {
    name: 'a signed-in client without its session token (__client_uat set)',
    fromMemory: false,
    headers: () => ({ cookie: `__client_uat=${Math.floor(Date.now() / 1000) - 60}` }),
    sees: 'preview',
  },
  { name: 'handshake parameters', fromMemory: false, url: `${path}?__clerk_handshake=abc`, sees: 'preview' },
  {
    name: 'a handshake nonce cookie',
    fromMemory: false,
    headers: () => ({ cookie: '__clerk_handshake_nonce=abc' }),
    sees: 'preview',
  },
  { name: 'the upgrade-return marker', fromMemory: false, url: `${path}?session=refresh`, sees: 'preview' },
  { name: 'an unknown query parameter', fromMemory: false, url: `${path}?page=2`, sees: 'preview' },
];

function expectSees(sent: Sent, sees: Case['sees']) {
  expect(sent.status).toBe(200);
  if (sees === 'full text') {
    expect(sent.body).toContain(canaries[premium.slug]!);
  } else {
    expect(sent.body).not.toContain(canaries[premium.slug]!);
    expect(sent.body).not.toContain('data-access-granted');
    expect(sent.body).toContain('data-paywall=');
  }
}

describe('gated pages for readers without a session', () => {
  beforeAll(async () => {
    // The first such request renders and fills; the cases below see what is kept.
    await probe(path);
  });

  for (const c of cases) {
    it(`${c.fromMemory ? 'come from memory' : 'are rendered'}: ${c.name}`, async () => {
      const url = c.url ?? path;
      const headers = c.headers?.() ?? {};
      const { sent, fromMemory } = await probe(url, headers);
      expect(fromMemory).toBe(c.fromMemory);
      expectSees(sent, c.sees);
      expect(sent.headers['cache-control']).toBe('private, no-store');
      if (c.fromMemory) {
        // Exactly what the full path sends this reader (Clerk decided "signed out" there too).
        expect(sent).toEqual(await fullPath(url, headers));
      }
    });
  }

  it('are compressed as the full path compresses them, and decompress to the same page', async () => {
    const plain = await get(path, { 'accept-encoding': 'identity' });
    for (const encoding of ['br', 'gzip'] as const) {
      const response = await fetch(`${keyed.server.url}${path}`, { headers: { 'accept-encoding': encoding } });
      const full = await fetch(`${keyed.server.url}${path}?full-path=1`, { headers: { 'accept-encoding': encoding } });
      expect(response.headers.get('content-encoding')).toBe(encoding);
      expect(full.headers.get('content-encoding')).toBe(encoding);
      // Node's fetch decodes; check the raw bytes too.
      const raw = await rawBody(path, { 'accept-encoding': encoding });
      const decoded = encoding === 'br' ? brotliDecompressSync(raw) : gunzipSync(raw);
      expect(decoded.toString()).toBe(plain.body);
      expect(await response.text()).toBe(await full.text());
    }
  });

  it('keep nothing for a HEAD request or a page that is not an article', async () => {
    const head = await probe(path, {}, 'HEAD');
    expect(head.sent.status).toBe(200);
    expect(head.fromMemory).toBe(false);
    const missing = await probe('/members/no-such-article/');
    expect(missing.sent.status).toBe(404);
    expect(missing.fromMemory).toBe(false);
    expect((await probe('/members/no-such-article/')).fromMemory).toBe(false);
  });

  it('are kept under one spelling only: any other is redirected there and renders nothing', async () => {
    const encoded = `/members/%${premium.slug.charCodeAt(0).toString(16)}${premium.slug.slice(1)}/`;
    const allEncoded = `/members/${[...premium.slug].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join('')}/`;
    for (const spelling of [encoded, allEncoded, path.slice(0, -1)]) {
      await settle();
      const before = requestLines();
      const response = await fetch(`${keyed.server.url}${spelling}?utm_source=news`, { redirect: 'manual' });
      await response.arrayBuffer();
      expect(response.status, spelling).toBe(301);
      expect(response.headers.get('location'), spelling).toBe(`${path}?utm_source=news`);
      expect(response.headers.get('cache-control'), spelling).toBe('private, no-store');
      await settle();
      // One request line (no fill), saying how it was answered.
      expect(requestLines() - before, spelling).toBe(1);
      expect(keyed.server.output().trimEnd().split('\n').at(-1), spelling).toContain('"page":"redirect"');
    }
    // A reader with a session gets the page itself under any spelling, as before.
    const member = await get(encoded, { cookie: sessionCookie(premiumToken()) });
    expect(member.status).toBe(200);
    expect(member.body).toContain(canaries[premium.slug]!);
    expect((await probe(path)).fromMemory).toBe(true);
  });

  it('never keep member text: a premium reader, then anonymous readers, of another article', async () => {
    const other = `/members/${members.slug}/`;
    const member = await probe(other, { cookie: sessionCookie(premiumToken()) });
    expect(member.sent.body).toContain(canaries[members.slug]!);
    for (let i = 0; i < 2; i++) {
      const anonymous = await probe(other);
      expect(anonymous.fromMemory).toBe(i === 1);
      expect(anonymous.sent.body).not.toContain(canaries[members.slug]!);
      expect(anonymous.sent.body).toContain('data-paywall=');
    }
  });

  it('leave plain signed-out requests at the preview after a gift link was opened', async () => {
    const config = giftConfigFromEnv({ CLERK_SECRET_KEY: keyed.keys.secretKey });
    if (!config.enabled) throw new Error(config.reason);
    const { token } = createGiftToken(config.key, premium.slug, 3600);
    const gifted = await probe(`${path}?gift=${encodeURIComponent(token)}`);
    expect(gifted.fromMemory).toBe(false);
    expect(gifted.sent.body).toContain(canaries[premium.slug]!);
    const after = await probe(path);
    expect(after.fromMemory).toBe(true);
    expectSees(after.sent, 'preview');
  });
});
