/**
 * What `npm start` runs: the production server, the local demo sign-in, or nothing (with the reason).
 * Plain functions over the environment, so every rule is unit-tested (tests/unit/start-mode.test.ts)
 * and checked against the real `npm start` (tests/integration/npm-start.test.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

/** The names Gatepost reads its Clerk keys from. */
export const CLERK_KEYS = ['PUBLIC_CLERK_PUBLISHABLE_KEY', 'CLERK_SECRET_KEY', 'CLERK_JWT_KEY'] as const;

/** Clerk's names in other SDKs and older docs, and the name Gatepost reads instead. */
export const OTHER_CLERK_NAMES: Readonly<Record<string, (typeof CLERK_KEYS)[number]>> = {
  CLERK_PUBLISHABLE_KEY: 'PUBLIC_CLERK_PUBLISHABLE_KEY',
  NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY: 'PUBLIC_CLERK_PUBLISHABLE_KEY',
  VITE_CLERK_PUBLISHABLE_KEY: 'PUBLIC_CLERK_PUBLISHABLE_KEY',
  CLERK_API_KEY: 'CLERK_SECRET_KEY',
};

export interface EnvSource {
  /** "the environment" or the file name, for messages. */
  name: string;
  vars: Record<string, string | undefined>;
}

/**
 * Where `astro build` (Vite's `loadEnv`, mode `production`) finds variables, highest precedence first:
 * the process environment, then .env.production.local, .env.production, .env.local, .env.
 */
export function envSources(root: string, processEnv: NodeJS.ProcessEnv = process.env): EnvSource[] {
  const files = ['.env.production.local', '.env.production', '.env.local', '.env'];
  return [
    { name: 'the environment', vars: processEnv },
    ...files
      .filter((file) => existsSync(join(root, file)))
      .map((file) => ({ name: file, vars: parseEnv(readFileSync(join(root, file), 'utf8')) })),
  ];
}

/** Each variable from the source with the highest precedence that sets it. */
export function effectiveEnv(sources: EnvSource[]): Record<string, string | undefined> {
  return Object.assign({}, ...[...sources].reverse().map((source) => source.vars)) as Record<string, string>;
}

/** Any Clerk key, even a malformed one: then the site reports the problem instead of a demo hiding it. */
export function hasClerkKeys(env: Record<string, string | undefined>): boolean {
  return CLERK_KEYS.some((name) => !!env[name]?.trim());
}

export type StartPlan = { run: 'production'; notice?: string } | { run: 'demo' } | { run: 'nothing'; message: string };

const KEYS_HINT =
  'Set PUBLIC_CLERK_PUBLISHABLE_KEY, CLERK_SECRET_KEY and CLERK_JWT_KEY in .env or the environment (README, "Go live"; docs/deploy.md, "Connecting Clerk").';

export function planStart(sources: EnvSource[]): StartPlan {
  const env = effectiveEnv(sources);
  const misnamed = Object.entries(OTHER_CLERK_NAMES).filter(
    ([other, ours]) => env[other]?.trim() && !env[ours]?.trim(),
  );
  if (misnamed.length > 0) {
    const found = misnamed.map(([other, ours]) => {
      const where = sources.find((source) => source.vars[other]?.trim())!.name;
      return `${other} (in ${where}) is not read by Gatepost: name it ${ours}.`;
    });
    return {
      run: 'nothing',
      message: `[gatepost] ${found.join(' ')} Not starting: with Clerk keys under other names, neither the demo sign-in nor a site with sign-in off would be what you meant.`,
    };
  }
  if (hasClerkKeys(env)) return { run: 'production' };
  if (env.NODE_ENV?.trim() === 'production') {
    return {
      run: 'production',
      notice: `[gatepost] NODE_ENV=production: the local demo sign-in is never started, so sign-in is off until Clerk keys are set. ${KEYS_HINT}`,
    };
  }
  return { run: 'demo' };
}
