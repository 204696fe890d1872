/**
 * The server's settings, read once from the environment (docs/deploy.md lists them). Plain TypeScript:
 * the caller passes the environment in.
 */
import { availableParallelism } from 'node:os';
import { readCardSettings, type CardSettings } from '../social/settings';
import { numberSettingProblems } from './number-settings';

export interface ServerConfig {
  host: string;
  port: number;
  /** Worker processes; 1 runs the server in this process, without a cluster primary. */
  workers: number;
  /**
   * Fastify's `trustProxy`: false (the default) ignores X-Forwarded-*; otherwise the addresses (or hop
   * count) of the proxies whose X-Forwarded-Proto/-For/-Host are believed.
   */
  trustProxy: boolean | number | string[];
  /** How long in-flight requests may take to finish after SIGTERM/SIGINT. */
  shutdownTimeoutMs: number;
  /** Where drawn social cards are kept and how many may wait to be drawn (src/social/settings.ts). */
  cards: CardSettings;
}

type Env = Record<string, string | undefined>;

function parseWorkers(value: string | undefined): number {
  if (!value?.trim()) return 1;
  if (value.trim() === 'auto') return availableParallelism();
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`GATEPOST_WORKERS must be a whole number ≥ 1 or "auto", not "${value}"`);
  return n;
}

export function parseTrustProxy(value: string | undefined): ServerConfig['trustProxy'] {
  const text = value?.trim();
  if (!text || text === 'false' || text === '0') return false;
  if (text === 'true') return true;
  if (/^\d+$/.test(text)) return Number(text);
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

export function readServerConfig(
  env: Env,
  defaults: { port?: number | undefined; host?: string | undefined } = {},
): ServerConfig {
  const port = Number(env.PORT || defaults.port || 4321);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, not "${env.PORT}"`);
  // The numeric settings Astro reads: a bad one would otherwise fail every server-rendered page.
  const [problem] = numberSettingProblems(env);
  if (problem) throw new Error(problem);
  const timeout = Number(env.GATEPOST_SHUTDOWN_TIMEOUT_MS || 10_000);
  if (!Number.isFinite(timeout) || timeout < 0)
    throw new Error(
      `GATEPOST_SHUTDOWN_TIMEOUT_MS must be a number of milliseconds, not "${env.GATEPOST_SHUTDOWN_TIMEOUT_MS}"`,
    );
  return {
    host: env.HOST || defaults.host || 'localhost',
    port,
    workers: parseWorkers(env.GATEPOST_WORKERS),
    trustProxy: parseTrustProxy(env.GATEPOST_TRUST_PROXY),
    shutdownTimeoutMs: timeout,
    cards: readCardSettings(env),
  };
}
