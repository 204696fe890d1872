import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/gifts/rate-limit';

describe('rate limiter', () => {
  it('allows a burst, then refuses until a token is regained', () => {
    const limiter = createRateLimiter({ burst: 3, refillMs: 60_000, maxKeys: 100 });
    const t = 1_000_000;
    expect([limiter.take('a', t), limiter.take('a', t), limiter.take('a', t)]).toEqual([true, true, true]);
    expect(limiter.take('a', t + 1)).toBe(false);
    expect(limiter.retryAfter('a', t + 1)).toBe(60);
    expect(limiter.take('a', t + 59_999)).toBe(false);
    expect(limiter.take('a', t + 60_000)).toBe(true);
    expect(limiter.take('a', t + 60_001)).toBe(false);
  });

  it('keeps readers apart', () => {
    const limiter = createRateLimiter({ burst: 1, refillMs: 60_000, maxKeys: 100 });
    expect(limiter.take('a', 0)).toBe(true);
    expect(limiter.take('a', 0)).toBe(false);
    expect(limiter.take('b', 0)).toBe(true);
    expect(limiter.retryAfter('b', 0)).toBeGreaterThan(0);
    expect(limiter.retryAfter('c', 0)).toBe(0);
  });

  it('refills to the burst at most, however long a reader was away', () => {
    const limiter = createRateLimiter({ burst: 2, refillMs: 1000, maxKeys: 100 });
    expect(limiter.take('a', 0)).toBe(true);
    expect(limiter.take('a', 0)).toBe(true);
    const later = 1_000_000;
    expect([limiter.take('a', later), limiter.take('a', later), limiter.take('a', later)]).toEqual([true, true, false]);
  });

  it('stays bounded in memory under many keys', () => {
    const limiter = createRateLimiter({ burst: 1, refillMs: 60_000, maxKeys: 50 });
    for (let i = 0; i < 10_000; i += 1) limiter.take(`reader-${i}`, 0);
    expect(limiter.size).toBe(50);
    // The most recent keys are the ones kept.
    expect(limiter.take('reader-9999', 0)).toBe(false);
  });
});
