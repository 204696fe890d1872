import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  createGiftToken,
  DEFAULT_GIFT_DAYS,
  giftConfigFromEnv,
  MAX_TOKEN_LENGTH,
  verifyGiftToken,
  type GiftKey,
} from '../../src/gifts/token';

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const DAY = 86_400;

function keyFor(env: Parameters<typeof giftConfigFromEnv>[0]): GiftKey {
  const config = giftConfigFromEnv(env);
  if (!config.enabled) throw new Error(config.reason);
  return config.key;
}

const key = keyFor({ CLERK_SECRET_KEY: 'sk_live_unit-test-secret-0123456789' });
const otherKey = keyFor({ CLERK_SECRET_KEY: 'sk_live_another-secret-9876543210' });

describe('gift link configuration', () => {
  it('is off without any key, and says which variables turn it on', () => {
    const config = giftConfigFromEnv({});
    expect(config.enabled).toBe(false);
    expect(!config.enabled && config.reason).toMatch(/CLERK_SECRET_KEY.*GATEPOST_GIFT_LINK_KEY/);
  });

  it('derives its key from the Clerk secret, never using the secret itself as the MAC key', () => {
    const secret = 'sk_live_unit-test-secret-0123456789';
    const config = giftConfigFromEnv({ CLERK_SECRET_KEY: secret });
    expect(config.enabled && config.key.source).toBe('CLERK_SECRET_KEY');
    expect(config.enabled && config.key.bytes.includes(Buffer.from(secret))).toBe(false);
    expect(config.enabled && config.key.bytes.length).toBe(32);
  });

  it('prefers an explicit key, so links survive a Clerk key rotation', () => {
    const explicit = 'a'.repeat(40);
    const a = keyFor({ GATEPOST_GIFT_LINK_KEY: explicit, CLERK_SECRET_KEY: 'sk_live_one' });
    const b = keyFor({ GATEPOST_GIFT_LINK_KEY: explicit, CLERK_SECRET_KEY: 'sk_live_two' });
    expect(a.source).toBe('GATEPOST_GIFT_LINK_KEY');
    const { token } = createGiftToken(a, 'some-article', DAY, NOW);
    expect(verifyGiftToken(b, 'some-article', token, NOW).valid).toBe(true);
  });

  it('refuses a short explicit key instead of signing with it', () => {
    const config = giftConfigFromEnv({ GATEPOST_GIFT_LINK_KEY: 'short', CLERK_SECRET_KEY: 'sk_live_x' });
    expect(config.enabled).toBe(false);
    expect(!config.enabled && config.reason).toMatch(/shorter than 32/);
  });

  it('lasts 14 days by default, or the configured number of days', () => {
    const base = { CLERK_SECRET_KEY: 'sk_live_x' };
    const byDefault = giftConfigFromEnv(base);
    expect(byDefault.enabled && byDefault.lifetimeSeconds).toBe(DEFAULT_GIFT_DAYS * DAY);
    const week = giftConfigFromEnv({ ...base, GATEPOST_GIFT_LINK_DAYS: 7 });
    expect(week.enabled && week.lifetimeSeconds).toBe(7 * DAY);
    expect(week.enabled && week.warnings).toEqual([]);
  });

  it('takes a lifetime in seconds over the days, and says the days are ignored', () => {
    const base = { CLERK_SECRET_KEY: 'sk_live_x' };
    const short = giftConfigFromEnv({ ...base, GATEPOST_GIFT_LINK_SECONDS: 20 });
    expect(short.enabled && short.lifetimeSeconds).toBe(20);
    expect(short.enabled && short.warnings).toEqual([]);
    const both = giftConfigFromEnv({ ...base, GATEPOST_GIFT_LINK_SECONDS: 3600, GATEPOST_GIFT_LINK_DAYS: 7 });
    expect(both.enabled && both.lifetimeSeconds).toBe(3600);
    expect(both.enabled && both.warnings.join()).toContain('GATEPOST_GIFT_LINK_DAYS is ignored');
  });
});

describe('gift tokens', () => {
  it('open the article they were made for until they expire', () => {
    const { token, expiresAt } = createGiftToken(key, 'pricing-experiments', 14 * DAY, NOW);
    expect(expiresAt.getTime()).toBe(NOW + 14 * DAY * 1000);
    expect(verifyGiftToken(key, 'pricing-experiments', token, NOW)).toEqual({ valid: true, expiresAt });
    expect(verifyGiftToken(key, 'pricing-experiments', token, expiresAt.getTime() - 1000).valid).toBe(true);
    expect(verifyGiftToken(key, 'pricing-experiments', token, expiresAt.getTime())).toEqual({
      valid: false,
      reason: 'expired',
    });
  });

  it('carry nothing but a version, the expiry and the MAC', () => {
    const { token } = createGiftToken(key, 'pricing-experiments', DAY, NOW);
    expect(token).toMatch(/^g1\.[0-9a-z]+\.[A-Za-z0-9_-]{43}$/);
    expect(token).not.toContain('pricing');
    expect(token.length).toBeLessThanOrEqual(MAX_TOKEN_LENGTH);
  });

  it('do not open another article', () => {
    const { token } = createGiftToken(key, 'pricing-experiments', DAY, NOW);
    expect(verifyGiftToken(key, 'session-cookies-done-properly', token, NOW)).toEqual({
      valid: false,
      reason: 'invalid',
    });
  });

  it('signed with another key are refused', () => {
    const { token } = createGiftToken(otherKey, 'pricing-experiments', DAY, NOW);
    expect(verifyGiftToken(key, 'pricing-experiments', token, NOW)).toEqual({ valid: false, reason: 'invalid' });
  });

  it('with a pushed-out expiry are refused (the expiry is covered by the MAC)', () => {
    const { token } = createGiftToken(key, 'pricing-experiments', DAY, NOW);
    const [version, expiry, signature] = token.split('.') as [string, string, string];
    const later = (parseInt(expiry, 36) + 365 * DAY).toString(36);
    expect(verifyGiftToken(key, 'pricing-experiments', `${version}.${later}.${signature}`, NOW)).toEqual({
      valid: false,
      reason: 'invalid',
    });
  });

  it('correctly signed but ending further out than the longest lifetime the site issues are refused', () => {
    // The longest the site can issue (365 days) opens, also from a server whose clock runs a minute ahead.
    const longest = createGiftToken(key, 'pricing-experiments', 365 * DAY, NOW + 60_000);
    expect(verifyGiftToken(key, 'pricing-experiments', longest.token, NOW).valid).toBe(true);
    for (const lifetime of [366 * DAY, 10 * 365 * DAY, 2 ** 40]) {
      const { token } = createGiftToken(key, 'pricing-experiments', lifetime, NOW);
      expect(verifyGiftToken(key, 'pricing-experiments', token, NOW), String(lifetime)).toEqual({
        valid: false,
        reason: 'invalid',
      });
    }
  });

  it('that are truncated, oversized, re-encoded or not strings are malformed, never a throw', () => {
    const { token } = createGiftToken(key, 'pricing-experiments', DAY, NOW);
    const cases: unknown[] = [
      token.slice(0, -1),
      `${token}A`,
      `${token}${'A'.repeat(10_000)}`,
      token.replace(/^g1/, 'g2'),
      token.replace(/-/g, '+').replace(/_/g, '/'),
      '',
      'g1..',
      null,
      undefined,
      42,
      ['g1'],
    ];
    for (const candidate of cases) {
      expect(verifyGiftToken(key, 'pricing-experiments', candidate, NOW).valid).toBe(false);
    }
  });

  it('accept no flipped character anywhere (property)', () => {
    const { token } = createGiftToken(key, 'pricing-experiments', DAY, NOW);
    fc.assert(
      fc.property(
        fc.nat({ max: token.length - 1 }),
        fc.constantFrom(...'0123456789abcdefghijklmnopqrstuvwxyzAZ_-.'),
        (at, char) => {
          fc.pre(token[at] !== char);
          const changed = token.slice(0, at) + char + token.slice(at + 1);
          expect(verifyGiftToken(key, 'pricing-experiments', changed, NOW).valid).toBe(false);
        },
      ),
    );
  });
});
