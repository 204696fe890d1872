/**
 * X-Forwarded-Host/-Proto reach Astro and Clerk's middleware only from a proxy GATEPOST_TRUST_PROXY trusts
 * (src/server/forwarded.ts; issue 19, point 4). Clerk builds the `redirect_url` of its handshake redirect
 * from those headers itself: from anyone else they would send a reader's session refresh back to a host
 * of the sender's choosing. Checked with a page navigation whose session needs a handshake
 * (`__client_uat=0`), against the built server, first trusting nobody (the default), then trusting the
 * loopback proxy the test stands in for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedSourceArticles } from '../support/articles';
import {
  FAPI_HOST,
  generateTestKeys,
  mintToken,
  readerClaims,
  serverEnv,
  type TestKeys,
} from '../support/clerk-session';
import { startServer, type RunningServer } from '../support/server';

const premium = publishedSourceArticles().find((a) => a.access === 'premium')!;
const path = `/members/${premium.slug}/`;
const DOCUMENT = { 'sec-fetch-dest': 'document', accept: 'text/html,application/xhtml+xml' };
const FORWARDED = { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https', 'x-forwarded-port': '8443' };

let keys: TestKeys;
let untrusting: RunningServer;
let trusting: RunningServer;
beforeAll(async () => {
  keys = generateTestKeys();
  [untrusting, trusting] = await Promise.all([
    startServer(serverEnv(keys, 'http://127.0.0.1')),
    startServer({ ...serverEnv(keys, 'http://127.0.0.1'), GATEPOST_TRUST_PROXY: 'loopback' }),
  ]);
});
afterAll(async () => {
  await untrusting?.stop();
  await trusting?.stop();
});

/** The handshake redirect a navigation with a session needing refresh gets, and where it comes back to. */
async function handshakeReturn(server: RunningServer, headers: Record<string, string>) {
  const session = mintToken(keys, readerClaims().premiumByMetadata);
  const response = await fetch(`${server.url}${path}`, {
    headers: { ...DOCUMENT, ...headers, cookie: `__session=${session}; __client_uat=0` },
    redirect: 'manual',
  });
  await response.arrayBuffer();
  expect(response.status).toBe(307);
  const location = new URL(response.headers.get('location')!);
  expect(location.host).toBe(FAPI_HOST);
  return location.searchParams.get('redirect_url');
}

describe('forwarding headers', () => {
  it('from a sender nobody trusts: the handshake comes back to the real host', async () => {
    expect(await handshakeReturn(untrusting, FORWARDED)).toBe(`${untrusting.url}${path}`);
    // Forwarded (RFC 7239) and CloudFront's header change nothing either.
    expect(
      await handshakeReturn(untrusting, {
        forwarded: 'host=evil.example;proto=https',
        'cloudfront-forwarded-proto': 'https',
      }),
    ).toBe(`${untrusting.url}${path}`);
  });

  it('from a trusted proxy: the host and scheme it reports are the ones the reader used', async () => {
    expect(await handshakeReturn(trusting, FORWARDED)).toMatch(/^https:\/\/evil\.example(:8443)?\/members\//);
    expect(await handshakeReturn(trusting, {})).toBe(`${trusting.url}${path}`);
  });
});
