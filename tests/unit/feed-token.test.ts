/**
 * Private feed tokens (src/feeds/token.ts): a token names one member and feed version and verifies only
 * with the key that signed it; any change to it, another key, or another token kind is refused; the
 * MAC is a full HMAC-SHA256 (well over 128 bits); addresses are stored only as keyed hashes.
 */
import { describe, expect, it } from 'vitest';
import { createFeedToken, feedKeysFromEnv, hashAddress, verifyFeedToken, type FeedKeys } from '../../src/feeds/token';
import { createUnsubscribeToken, unsubscribeKeyFromEnv } from '../../src/newsletters/token';

const keysOf = (env: Parameters<typeof feedKeysFromEnv>[0]): FeedKeys => {
  const config = feedKeysFromEnv(env);
  if (!config.enabled) throw new Error(config.reason);
  return config.keys;
};
const keys = keysOf({ GATEPOST_FEED_KEY: 'feed-test-key-0123456789-abcdefghijklmnopq' });

describe('private feed tokens', () => {
  it('name the member and version they were made for, with a 256-bit MAC', () => {
    const token = createFeedToken(keys, 'user_abc', 3);
    expect(verifyFeedToken(keys, token)).toEqual({ memberId: 'user_abc', version: 3 });
    expect(token).toMatch(/^f1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.split('.')[2]!, 'base64url').length * 8).toBeGreaterThanOrEqual(256);
    // URL-safe as a path segment: nothing to escape.
    expect(encodeURIComponent(token)).toBe(token);
  });

  it('refuses a token with any character changed, another member or version spliced in, or cut short', () => {
    const token = createFeedToken(keys, 'user_abc', 3);
    for (let i = 0; i < token.length; i++) {
      const c = token[i]!;
      const swapped = `${token.slice(0, i)}${c === 'A' ? 'B' : 'A'}${token.slice(i + 1)}`;
      if (swapped !== token) expect(verifyFeedToken(keys, swapped), `changed at ${i}`).toBeNull();
    }
    const [, , mac] = token.split('.');
    const otherPayload = Buffer.from('user_other\n3').toString('base64url');
    const laterPayload = Buffer.from('user_abc\n4').toString('base64url');
    expect(verifyFeedToken(keys, `f1.${otherPayload}.${mac}`)).toBeNull();
    expect(verifyFeedToken(keys, `f1.${laterPayload}.${mac}`)).toBeNull();
    expect(verifyFeedToken(keys, token.slice(0, -1))).toBeNull();
    expect(verifyFeedToken(keys, `${token}A`)).toBeNull();
  });

  it('refuses tokens signed with another key, even one derived from the same Clerk key for another use', () => {
    const token = createFeedToken(keys, 'user_abc', 1);
    const other = keysOf({ GATEPOST_FEED_KEY: 'another-feed-key-0123456789-abcdefghijklmn' });
    expect(verifyFeedToken(other, token)).toBeNull();
    // The same secret makes different keys for feeds and for unsubscribe links.
    const secret = 'sk_test_0123456789abcdefghijklmnopqrstuvwxyz';
    const feed = keysOf({ CLERK_SECRET_KEY: secret });
    const unsubscribe = unsubscribeKeyFromEnv({ CLERK_SECRET_KEY: secret });
    if (!unsubscribe.enabled) throw new Error(unsubscribe.reason);
    expect(feed.token.equals(unsubscribe.key.bytes)).toBe(false);
    const unsubscribeToken = createUnsubscribeToken(unsubscribe.key, 'user_abc', '1');
    expect(verifyFeedToken(feed, unsubscribeToken)).toBeNull();
    expect(verifyFeedToken(feed, unsubscribeToken.replace(/^u1\./, 'f1.'))).toBeNull();
  });

  it('refuses hostile input without throwing', () => {
    for (const input of [undefined, null, 42, '', 'f1..', 'f1.a.b', 'x'.repeat(5000), 'f1.%00.%00', {}])
      expect(verifyFeedToken(keys, input)).toBeNull();
    // A genuine MAC over a version that is not a whole number from 1.
    expect(() => createFeedToken(keys, 'user_abc', 0)).toThrow();
  });

  it('are off with a reason when no key is configured, or the explicit key is too short', () => {
    expect(feedKeysFromEnv({})).toEqual({ enabled: false, reason: expect.stringMatching(/GATEPOST_FEED_KEY/) });
    expect(feedKeysFromEnv({ GATEPOST_FEED_KEY: 'short' })).toEqual({
      enabled: false,
      reason: expect.stringMatching(/shorter than/),
    });
  });

  it('hashes addresses with the server key: the same address the same, never the address itself', () => {
    const hash = hashAddress(keys, '203.0.113.7');
    expect(hash).toBe(hashAddress(keys, '203.0.113.7'));
    expect(hash).not.toBe(hashAddress(keys, '203.0.113.8'));
    expect(hash).not.toContain('203');
    expect(
      hashAddress(keysOf({ GATEPOST_FEED_KEY: 'another-feed-key-0123456789-abcdefghijklmn' }), '203.0.113.7'),
    ).not.toBe(hash);
  });
});
