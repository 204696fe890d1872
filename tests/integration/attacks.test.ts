/**
 * Hostile requests against the built server with Clerk configured (networkless verification): odd
 * paths, broken cookies, forged tokens, other methods and oversized or malformed headers. Every case must
 * answer below 500, and no case that should be denied may contain member-only text.
 */
import { generateKeyPairSync } from 'node:crypto';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { publishedSourceArticles, loadSourceArticles } from '../support/articles';
import {
  generateTestKeys,
  hs256WithPublicKey,
  mintToken,
  readerClaims,
  sessionCookie,
  unsignedToken,
} from '../support/clerk-session';
import { loadCanaries, useKeyedServer } from '../support/fixtures';

const canaries = loadCanaries();
const premium = publishedSourceArticles().find((a) => a.access === 'premium')!;
const draft = loadSourceArticles().find((a) => a.draft)!;
const SECRETS = Object.values(canaries);
const readers = readerClaims();

const keyed = useKeyedServer();

async function request(path: string, init: RequestInit & { headers?: Record<string, string> } = {}) {
  const response = await fetch(`${keyed.server.url}${path}`, { redirect: 'manual', ...init });
  return { status: response.status, body: await response.text(), headers: response.headers };
}

/** Raw HTTP over a socket, for requests fetch refuses to send. */
function raw(payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(keyed.server.port, '127.0.0.1');
    let data = '';
    socket.setTimeout(5000, () => socket.destroy(new Error('timeout')));
    socket.on('data', (chunk) => (data += chunk));
    socket.on('end', () => resolve(data));
    socket.on('close', () => resolve(data));
    socket.on('error', (error) => (data ? resolve(data) : reject(error)));
    socket.write(payload);
  });
}

function expectSafe(result: { status: number; body: string }, label: string) {
  expect(result.status, label).toBeLessThan(500);
  for (const secret of SECRETS) expect(result.body.includes(secret), `${label} leaked member text`).toBe(false);
}

const slug = () => premium.slug;
const pathTricks = () => [
  `/members/${slug()}`,
  `/members/${slug()}/`,
  `/members/${slug()}//`,
  `//members/${slug()}/`,
  `/members//${slug()}/`,
  `/members/./${slug()}/`,
  `/members/../members/${slug()}/`,
  `/articles/../members/${slug()}/`,
  `/members%2F${slug()}/`,
  `/members%2f${slug()}%2f`,
  `/members/${slug()}%2F`,
  `/members/${slug()}%252F`,
  `/members%252F${slug()}/`,
  `/members/${slug()}%00/`,
  `/members/${slug()}%00.html`,
  `/members/${slug().toUpperCase()}/`,
  `/MEMBERS/${slug()}/`,
  `/Members/${slug()}/`,
  `/members/${slug()};jsessionid=1/`,
  `/members/${slug()}/?${'a'.repeat(4000)}=1`,
  `/members/${'x'.repeat(8000)}/`,
  `/members/${encodeURIComponent(slug())}/`,
  `/members/%${slug()}/`,
  `/members/${slug()}/index.html`,
  `/articles/${slug()}/`,
  `/_astro/../members/${slug()}/`,
  `/members/${draft.slug}/`,
  `/articles/${draft.slug}/`,
  `/editor/preview/${slug()}/`,
  `/editor/preview/../preview/${draft.slug}/`,
  `/editor%2Fpreview%2F${draft.slug}/`,
  `/EDITOR/`,
  `/editor/asset/..%2F..%2Fpackage.json`,
  `/editor/asset/%2e%2e/%2e%2e/.env`,
];

describe('path tricks on gated and editor URLs', () => {
  for (const [who, cookie] of [
    ['anonymous', () => ''],
    ['a member', () => sessionCookie(mintToken(keyed.keys, readers.member))],
  ] as const) {
    it(`never serve premium or draft text to ${who}, never 5xx`, async () => {
      for (const path of pathTricks()) {
        expectSafe(await request(path, { headers: cookie() ? { cookie: cookie() } : {} }), `${who} ${path}`);
      }
    });
  }

  it('still serve a premium reader through the canonical URL (the check is not just "deny all")', async () => {
    const { body } = await request(`/members/${premium.slug}/`, {
      headers: { cookie: sessionCookie(mintToken(keyed.keys, readers.premiumByMetadata)) },
    });
    expect(body).toContain(canaries[premium.slug]!);
  });
});

describe('cookies', () => {
  const target = () => `/members/${premium.slug}/`;
  const forged = () =>
    mintToken(keyed.keys, {
      claims: { metadata: { tier: 'premium' } },
      signWith: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
    });

  it('malformed and oversized session cookies count as signed out', async () => {
    for (const cookie of [
      '__session=',
      '__session=%%%',
      '__session="unterminated',
      '__session=a.b',
      '__session=a.b.c.d.e',
      `__session=${'A'.repeat(6000)}.${'B'.repeat(6000)}.C`,
      `__session=${Buffer.from('{"alg":"RS256"}').toString('base64url')}.!!!.sig`,
      '__session=\u00ff\u00fe',
      '__client_uat=notanumber; __session=x.y.z',
      `${'junk=1; '.repeat(300)}__session=x.y.z`,
    ]) {
      expectSafe(await request(target(), { headers: { cookie } }), cookie.slice(0, 40));
    }
  });

  it('duplicate __session cookies never upgrade anyone', async () => {
    const member = mintToken(keyed.keys, readers.member);
    for (const cookie of [
      `__session=${forged()}; __session=${member}; __client_uat=1`,
      `__session=${member}; __session=${forged()}; __client_uat=1`,
      `__session=garbage; __session=${forged()}`,
    ]) {
      expectSafe(await request(target(), { headers: { cookie } }), 'duplicate cookies');
    }
  });

  it('a valid token from another Clerk instance is refused', async () => {
    const other = generateTestKeys();
    expectSafe(
      await request(target(), { headers: { cookie: sessionCookie(mintToken(other, readers.premiumByMetadata)) } }),
      'other instance',
    );
  });

  it('tokens with missing or odd claims do not unlock anything', async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: Record<string, unknown>[] = [
      { sub: undefined },
      { sid: undefined },
      { exp: undefined },
      { sub: '' },
      { sub: 12345 },
      { metadata: { tier: 'premium' }, nbf: now + 3600 },
      { metadata: 'premium' },
      { metadata: { tier: { $gt: '' } } },
      { metadata: { tier: 'premium'.repeat(1000) } },
      { pla: 'premium' },
      { org_metadata: { tier: 'premium' } },
    ];
    for (const claims of cases) {
      const token = mintToken(keyed.keys, { claims: claims as Record<string, unknown> });
      const result = await request(target(), { headers: { cookie: sessionCookie(token) } });
      expectSafe(result, JSON.stringify(claims).slice(0, 60));
    }
  });
});

describe('Authorization: Bearer', () => {
  it('bad bearer tokens of every kind are refused without a 5xx', async () => {
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      sub: 'user_x',
      sid: 'sess_x',
      iat: now - 5,
      nbf: now - 5,
      exp: now + 600,
      metadata: { tier: 'premium' },
    };
    const other = generateTestKeys();
    for (const authorization of [
      'Bearer',
      'Bearer ',
      'Bearer garbage',
      `Bearer ${unsignedToken(payload)}`,
      `Bearer ${hs256WithPublicKey(keyed.keys, payload)}`,
      `Bearer ${mintToken(keyed.keys, { claims: { metadata: { tier: 'premium' } }, iat: -900, nbf: -900, exp: -300 })}`,
      `Bearer ${mintToken(other, readers.premiumByMetadata)}`,
      `Basic ${Buffer.from('admin:admin').toString('base64')}`,
      `Bearer ${'x'.repeat(7000)}`,
    ]) {
      expectSafe(
        await request(`/members/${premium.slug}/`, { headers: { authorization } }),
        authorization.slice(0, 30),
      );
    }
  });
});

describe('methods and headers', () => {
  it('refuses every method but GET and HEAD, on static and server-rendered pages alike', async () => {
    for (const path of [
      '/',
      '/articles/',
      `/members/${premium.slug}/`,
      '/sign-in/',
      '/api/clerk-config.json',
      '/rss.xml',
    ]) {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        const result = await request(path, {
          method,
          body: 'x=1',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
        expect(result.status, `${method} ${path}`).toBe(405);
        expect(result.headers.get('allow')).toBe('GET, HEAD');
        expectSafe(result, `${method} ${path}`);
      }
      expect((await request(path, { method: 'OPTIONS' })).status).toBe(204);
      expect((await request(path, { method: 'HEAD' })).status).toBeLessThan(400);
    }
  });

  it('answers huge headers with 431, not a crash', async () => {
    const result = await request('/', { headers: { 'x-huge': 'a'.repeat(70_000) } });
    expect(result.status).toBe(431);
    expect((await request('/')).status).toBe(200);
  });

  it('answers malformed requests with 400 and keeps serving', async () => {
    for (const payload of [
      'GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\nX-Ctl: a\u0001b\r\n\r\n',
      'GARBAGE\r\n\r\n',
      `GET /members/${premium.slug}/ HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    ]) {
      const response = await raw(payload);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);
      expect(status, JSON.stringify(payload.slice(0, 30))).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
      for (const secret of SECRETS) expect(response.includes(secret)).toBe(false);
    }
    expect((await request('/')).status).toBe(200);
  });
});
