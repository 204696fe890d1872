/**
 * A per-key token bucket, bounded in memory: each key may spend `burst` requests at once and regains
 * one every `refillMs`. When more than `maxKeys` keys are tracked, the least recently seen is dropped
 * (a dropped key starts again with a full bucket, which only ever errs towards allowing).
 *
 * Per process: with several workers or replicas each keeps its own buckets (docs/deploy.md).
 */
export interface RateLimiter {
  /** Spends one request for `key`; false when its bucket is empty. */
  take(key: string, now?: number): boolean;
  /** Seconds until `key` may try again (0 when it may now). */
  retryAfter(key: string, now?: number): number;
  readonly size: number;
}

export function createRateLimiter(options: { burst: number; refillMs: number; maxKeys: number }): RateLimiter {
  const { burst, refillMs, maxKeys } = options;
  const buckets = new Map<string, { tokens: number; at: number }>();

  function current(key: string, now: number): { tokens: number; at: number } {
    const bucket = buckets.get(key);
    if (!bucket) return { tokens: burst, at: now };
    const regained = Math.floor((now - bucket.at) / refillMs);
    if (regained <= 0) return bucket;
    const tokens = Math.min(burst, bucket.tokens + regained);
    return { tokens, at: tokens === burst ? now : bucket.at + regained * refillMs };
  }

  return {
    take(key, now = Date.now()) {
      const bucket = current(key, now);
      buckets.delete(key);
      if (bucket.tokens <= 0) {
        buckets.set(key, bucket);
        return false;
      }
      buckets.set(key, { tokens: bucket.tokens - 1, at: bucket.at });
      if (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value as string);
      return true;
    },
    retryAfter(key, now = Date.now()) {
      const bucket = current(key, now);
      return bucket.tokens > 0 ? 0 : Math.ceil((bucket.at + refillMs - now) / 1000);
    },
    get size() {
      return buckets.size;
    },
  };
}
