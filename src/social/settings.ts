/**
 * The social card settings (docs/deploy.md, "Social cards"), read from the environment: where drawn
 * cards are kept and how many may wait to be drawn. Plain TypeScript: the caller passes the environment.
 */
import { resolve } from 'node:path';
import { numberSettingProblems } from '../server/number-settings';
import { DEFAULT_MAX_WAITING } from './pool';

/** Where drawn cards are kept unless GATEPOST_CARD_CACHE_DIR says otherwise (from the working directory). */
export const DEFAULT_CARD_CACHE_DIR = '.cache/og';

export interface CardSettings {
  /** Absolute directory of the kept cards. */
  cacheDir: string;
  /** Cards that may wait to be drawn (the one being drawn included) before another is refused with 503. */
  maxWaiting: number;
}

/**
 * GATEPOST_CARD_CACHE_DIR (a relative one from `cwd`, as GATEPOST_DATA_DIR) and GATEPOST_CARD_QUEUE_LIMIT
 * (a whole number within its NUMBER_SETTINGS bounds). Throws a message naming the variable for a bad limit.
 */
export function readCardSettings(env: Record<string, string | undefined>, cwd = process.cwd()): CardSettings {
  const cacheDir = resolve(cwd, env.GATEPOST_CARD_CACHE_DIR?.trim() || DEFAULT_CARD_CACHE_DIR);
  const limit = env.GATEPOST_CARD_QUEUE_LIMIT?.trim();
  if (!limit) return { cacheDir, maxWaiting: DEFAULT_MAX_WAITING };
  // The bounds are the server's number settings' (checked at start for every such variable).
  const problem = numberSettingProblems({ GATEPOST_CARD_QUEUE_LIMIT: limit })[0];
  if (problem) throw new Error(problem);
  const maxWaiting = Number(limit);
  return { cacheDir, maxWaiting };
}
