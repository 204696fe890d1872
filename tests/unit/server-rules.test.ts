import { describe, expect, it } from 'vitest';
import { parseTrustProxy, readServerConfig } from '../../src/server/config';
import {
  compileRoutes,
  decideMethod,
  LARGEST_POST_BODY_BYTES,
  POST_BODY_LIMIT_BYTES,
  POST_ROUTES,
  type MethodRequest,
} from '../../src/server/methods';
import { isCompressibleType, negotiateEncoding } from '../../src/server/compression';
import { WEBHOOK_BODY_LIMIT_BYTES } from '../../src/members/limits';

const giftLinks = compileRoutes(['/api/gift-links', '/api/items/:id']);
const req = (method: string, path: string, headers: MethodRequest['headers'] = {}): MethodRequest => ({
  method,
  path,
  headers,
  origin: 'https://gatepost.example',
});

describe('method rules', () => {
  it('allow GET and HEAD everywhere and nothing else on undeclared routes', () => {
    for (const method of ['GET', 'HEAD']) expect(decideMethod(req(method, '/anything'))).toEqual({ ok: true });
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'TRACE', 'CONNECT', 'PROPFIND']) {
      expect(decideMethod(req(method, '/api/undeclared')), method).toMatchObject({
        ok: false,
        status: 405,
        allow: 'GET, HEAD',
      });
    }
    expect(decideMethod(req('OPTIONS', '/'))).toMatchObject({ status: 204, allow: 'GET, HEAD' });
  });

  it('declares exactly the gift-link, webhook, unsubscribe, newsletter-subscription and desk routes for POST', () => {
    expect(POST_ROUTES.map((r) => r.pattern)).toEqual([
      '/api/gift-links',
      '/api/webhooks/clerk',
      '/unsubscribe/:token{/}?',
      '/api/newsletter-subscription',
      '/editor/articles/:slug/(send|test|retry)',
    ]);
    expect(decideMethod(req('POST', '/editor/articles/a-post/send', { 'content-length': '10' }))).toEqual({ ok: true });
    expect(decideMethod(req('POST', '/editor/articles/a-post/delete'))).toMatchObject({ status: 405 });
    expect(decideMethod(req('POST', '/api/gift-links', { 'content-length': '10' }))).toEqual({ ok: true });
    expect(decideMethod(req('POST', '/api/clerk-config.json'))).toMatchObject({ status: 405 });
  });

  it('exempt only the webhook and one-click unsubscribe routes from the same-origin rule, and give the webhook its own size limit', () => {
    const crossSite = { 'sec-fetch-site': 'cross-site', origin: 'https://api.svix.example', 'content-length': '10' };
    expect(decideMethod(req('POST', '/api/webhooks/clerk', crossSite))).toEqual({ ok: true });
    expect(decideMethod(req('POST', '/unsubscribe/u1.abc.def/', crossSite))).toEqual({ ok: true });
    expect(decideMethod(req('POST', '/api/newsletter-subscription', crossSite))).toMatchObject({ status: 403 });
    expect(decideMethod(req('POST', '/editor/articles/a-post/send', crossSite))).toMatchObject({ status: 403 });
    expect(decideMethod(req('POST', '/api/gift-links', crossSite))).toMatchObject({ status: 403 });
    expect(decideMethod(req('POST', '/api/webhooks/clerk/extra', crossSite))).toMatchObject({ status: 405 });
    const sized = (path: string, bytes: number) => decideMethod(req('POST', path, { 'content-length': String(bytes) }));
    expect(sized('/api/webhooks/clerk', WEBHOOK_BODY_LIMIT_BYTES)).toEqual({ ok: true });
    expect(sized('/api/webhooks/clerk', WEBHOOK_BODY_LIMIT_BYTES + 1)).toMatchObject({ status: 413 });
    expect(sized('/api/gift-links', POST_BODY_LIMIT_BYTES + 1)).toMatchObject({ status: 413 });
    expect(LARGEST_POST_BODY_BYTES).toBe(WEBHOOK_BODY_LIMIT_BYTES);
  });

  it('let POST through on a declared route only, from the same origin or from no browser page', () => {
    expect(decideMethod(req('POST', '/api/gift-links', { 'content-length': '10' }), giftLinks)).toEqual({ ok: true });
    expect(decideMethod(req('POST', '/api/items/42'), giftLinks)).toEqual({ ok: true });
    expect(decideMethod(req('POST', '/api/gift-links/extra'), giftLinks)).toMatchObject({ status: 405 });
    expect(decideMethod(req('OPTIONS', '/api/gift-links'), giftLinks)).toMatchObject({ allow: 'GET, HEAD, POST' });
    expect(decideMethod(req('PUT', '/api/gift-links'), giftLinks)).toMatchObject({
      status: 405,
      allow: 'GET, HEAD, POST',
    });
    const same = { 'sec-fetch-site': 'same-origin', origin: 'https://gatepost.example' };
    expect(decideMethod(req('POST', '/api/gift-links', same), giftLinks)).toEqual({ ok: true });
    for (const headers of [
      { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      { 'sec-fetch-site': 'same-site', origin: 'https://blog.gatepost.example' },
      { 'sec-fetch-site': 'none' },
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { origin: 'http://gatepost.example' },
    ]) {
      expect(decideMethod(req('POST', '/api/gift-links', headers), giftLinks), JSON.stringify(headers)).toMatchObject({
        status: 403,
      });
    }
    expect(decideMethod(req('POST', '/api/gift-links', { origin: 'https://gatepost.example' }), giftLinks)).toEqual({
      ok: true,
    });
  });

  it('limit POST bodies by their declared size and refuse chunked bodies of unknown size', () => {
    const post = (headers: MethodRequest['headers']) =>
      decideMethod(req('POST', '/api/gift-links', headers), giftLinks);
    expect(post({ 'content-length': String(POST_BODY_LIMIT_BYTES) })).toEqual({ ok: true });
    expect(post({ 'content-length': String(POST_BODY_LIMIT_BYTES + 1) })).toMatchObject({ status: 413 });
    expect(post({ 'content-length': '1e9' })).toMatchObject({ status: 413 });
    expect(post({ 'transfer-encoding': 'chunked' })).toMatchObject({ status: 411 });
  });
});

describe('server settings', () => {
  it('trust no proxy unless told which', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy('')).toBe(false);
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('true')).toBe(true);
    expect(parseTrustProxy('1')).toBe(1);
    expect(parseTrustProxy('loopback, 10.0.0.0/8')).toEqual(['loopback', '10.0.0.0/8']);
  });

  it('run one worker by default, one per core for auto, and reject nonsense', () => {
    expect(readServerConfig({}).workers).toBe(1);
    expect(readServerConfig({ GATEPOST_WORKERS: 'auto' }).workers).toBeGreaterThanOrEqual(1);
    expect(readServerConfig({ GATEPOST_WORKERS: '3' }).workers).toBe(3);
    for (const bad of ['0', '-1', '1.5', 'many'])
      expect(() => readServerConfig({ GATEPOST_WORKERS: bad })).toThrow(/GATEPOST_WORKERS/);
    expect(() => readServerConfig({ PORT: 'http' })).toThrow(/PORT/);
  });

  it('refuse to start with a numeric setting Astro would reject, naming it, and take good ones', () => {
    for (const [name, good, bad] of [
      ['GATEPOST_AUTH_TIMEOUT_MS', ['1500', ' 4000 ', ''], ['0', '-3', '1.5', 'soon', '60001', ' ']],
      ['GATEPOST_GIFT_LINK_DAYS', ['1', '14', '365'], ['0', '-3', '1.5', 'soon', '9999', '7days']],
      ['GATEPOST_GIFT_LINK_SECONDS', ['20', '31536000'], ['0', '1e3', 'soon', '31536001']],
    ] as const) {
      for (const value of good) expect(() => readServerConfig({ [name]: value }), value).not.toThrow();
      for (const value of bad)
        expect(() => readServerConfig({ [name]: value }), value).toThrow(
          new RegExp(`^${name} must be a whole number of \\w+ from 1 to \\d+, not "${value}"$`),
        );
    }
  });

  it('compress exactly HTML, CSS, JavaScript, XML, JSON and SVG', () => {
    for (const type of [
      'text/html; charset=utf-8',
      'text/css',
      'text/javascript',
      'application/json',
      'application/xml',
      'application/rss+xml',
      'image/svg+xml',
    ])
      expect(isCompressibleType(type), type).toBe(true);
    for (const type of ['image/png', 'image/webp', 'text/plain', 'application/octet-stream', undefined])
      expect(isCompressibleType(type), String(type)).toBe(false);
  });
});

describe('encoding negotiation (one rule for files, rendered pages and kept pages)', () => {
  it('takes the highest quality, then brotli before gzip before deflate, among what is available', () => {
    expect(negotiateEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(negotiateEncoding('br;q=0.5, gzip')).toBe('gzip');
    expect(negotiateEncoding('GZIP, Deflate')).toBe('gzip');
    expect(negotiateEncoding('deflate')).toBe('deflate');
    expect(negotiateEncoding('br, gzip', ['gzip'])).toBe('gzip');
    expect(negotiateEncoding('br', ['gzip'])).toBeUndefined();
  });

  it('counts `*` as gzip, as @fastify/static does for the file requests it answers', () => {
    expect(negotiateEncoding('*')).toBe('gzip');
    expect(negotiateEncoding('br;q=0.1, *')).toBe('gzip');
  });

  it('chooses none without a header, for identity only, or when everything is refused', () => {
    for (const header of [undefined, '', 'identity', 'br;q=0, gzip;q=0, deflate;q=0', 'zstd'])
      expect(negotiateEncoding(header), String(header)).toBeUndefined();
  });
});
