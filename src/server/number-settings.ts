/**
 * The numeric settings Astro reads through astro:env: whole numbers within a range, declared in
 * astro.config.mjs's env.schema (`envField.number`) with these bounds.
 *
 * Astro checks a secret when a page first reads astro:env, and a bad value then fails every
 * server-rendered page with a 500. So the server checks them all before it loads Astro
 * (`readServerConfig`) and refuses to start with one line naming the variable instead.
 */
export const NUMBER_SETTINGS = {
  /** How long a session check may take before the reader is served as signed out. */
  GATEPOST_AUTH_TIMEOUT_MS: { int: true, min: 1, max: 60_000 },
  /** How many days a gift link stays readable. */
  GATEPOST_GIFT_LINK_DAYS: { int: true, min: 1, max: 365 },
  /** The same in seconds, in place of the days when set. */
  GATEPOST_GIFT_LINK_SECONDS: { int: true, min: 1, max: 365 * 86_400 },
  /** Distinct addresses a day one private feed may be fetched from before editors see it flagged. */
  GATEPOST_FEED_MAX_IPS_PER_DAY: { int: true, min: 1, max: 10_000 },
  /** Social cards that may wait to be drawn before requests for more new ones get 503 (src/social/pool.ts). */
  GATEPOST_CARD_QUEUE_LIMIT: { int: true, min: 1, max: 10_000 },
} as const satisfies Record<string, { int: true; min: number; max: number }>;

const UNITS: Record<keyof typeof NUMBER_SETTINGS, string> = {
  GATEPOST_AUTH_TIMEOUT_MS: 'milliseconds',
  GATEPOST_GIFT_LINK_DAYS: 'days',
  GATEPOST_GIFT_LINK_SECONDS: 'seconds',
  GATEPOST_FEED_MAX_IPS_PER_DAY: 'addresses',
  GATEPOST_CARD_QUEUE_LIMIT: 'cards',
};

/**
 * What is wrong with the numeric settings in `env`, one line each (empty when nothing is). Unset or
 * empty means the default, as for Astro; anything else must be digits within the bounds, which Astro
 * then reads as the same number.
 */
export function numberSettingProblems(env: Record<string, string | undefined>): string[] {
  return Object.entries(NUMBER_SETTINGS).flatMap(([name, { min, max }]) => {
    const value = env[name];
    if (value === undefined || value === '') return [];
    const number = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
    if (number >= min && number <= max) return [];
    const unit = UNITS[name as keyof typeof NUMBER_SETTINGS];
    return [`${name} must be a whole number of ${unit} from ${min} to ${max}, not "${value}"`];
  });
}
