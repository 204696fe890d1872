/**
 * A bounded, loopback-only load generator that checks every response against the identity that sent
 * it. Used by the identity-isolation test (small in CI) and `npm run test:load` (larger).
 */
export interface Identity {
  name: string;
  userId: string | null;
  cookie: string;
  readsPremium: boolean;
}

export interface LoadResult {
  requests: number;
  concurrency: number;
  errors: string[];
  status5xx: number;
  mismatches: string[];
  latencies: number[];
  durationMs: number;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export async function runIdentityLoad(options: {
  baseURL: string;
  identities: Identity[];
  premiumPath: string;
  premiumCanary: string;
  requests: number;
  concurrency: number;
  /** Stop early after this many milliseconds (bounded in time as well as in count). */
  maxMs?: number;
}): Promise<LoadResult> {
  const { baseURL, identities, premiumPath, premiumCanary, requests, concurrency } = options;
  const result: LoadResult = {
    requests: 0,
    concurrency,
    errors: [],
    status5xx: 0,
    mismatches: [],
    latencies: [],
    durationMs: 0,
  };
  const started = Date.now();
  let next = 0;
  async function worker() {
    while (next < requests && Date.now() - started < (options.maxMs ?? 120_000)) {
      const n = next++;
      const identity = identities[n % identities.length]!;
      const path = n % 2 === 0 ? premiumPath : '/account/';
      const t0 = performance.now();
      try {
        const response = await fetch(`${baseURL}${path}`, {
          headers: identity.cookie ? { cookie: identity.cookie } : {},
          redirect: 'manual',
        });
        const body = await response.text();
        result.latencies.push(performance.now() - t0);
        result.requests++;
        if (response.status >= 500) result.status5xx++;
        if (path === '/account/') {
          if (identity.userId === null) {
            if (response.status !== 307) result.mismatches.push(`${identity.name} /account/ → ${response.status}`);
          } else {
            const shown = /data-user-id="([^"]+)"/.exec(body)?.[1];
            if (shown !== identity.userId)
              result.mismatches.push(`${identity.name} saw account of ${shown ?? 'nobody'}`);
          }
        } else {
          const full = body.includes(premiumCanary);
          if (full !== identity.readsPremium) result.mismatches.push(`${identity.name} full text: ${full}`);
        }
      } catch (error) {
        result.errors.push(`${identity.name} ${path}: ${(error as Error).message}`);
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  result.durationMs = Date.now() - started;
  return result;
}

export function describeLoad(result: LoadResult): string {
  const l = result.latencies;
  return [
    `${result.requests} requests, concurrency ${result.concurrency}, ${(result.durationMs / 1000).toFixed(1)} s`,
    `${Math.round((result.requests / result.durationMs) * 1000)} req/s`,
    `p50 ${percentile(l, 50).toFixed(1)} ms, p95 ${percentile(l, 95).toFixed(1)} ms, p99 ${percentile(l, 99).toFixed(1)} ms, max ${Math.max(0, ...l).toFixed(1)} ms`,
    `5xx ${result.status5xx}, errors ${result.errors.length}, mismatches ${result.mismatches.length}`,
  ].join('; ');
}
