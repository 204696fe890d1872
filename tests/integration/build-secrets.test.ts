/**
 * Builds a scratch copy of the site with real-looking Clerk secrets in the environment *and* in a
 * .env file, and proves none of them reaches any file of the build (client or server), while the
 * public publishable key does reach the pages that need it.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSourceArticles, secretPart, secretPhrases } from '../support/articles';
import { generateTestKeys } from '../support/clerk-session';
import { isServerOnlyMemberData, scanForLeaks } from '../support/leak-scan';
import { buildProject, scratchCopy } from '../support/scratch';

const keys = generateTestKeys();
const envSecrets = {
  CLERK_SECRET_KEY: 'sk_live_EnvOnlySecretValue0123456789abcdef',
  CLERK_JWT_KEY: keys.jwtKey,
  CLERK_WEBHOOK_SIGNING_SECRET: 'whsec_EnvWebhookSecret0123456789',
};
const dotenvSecrets = {
  CLERK_MACHINE_SECRET_KEY: 'ak_DotenvMachineSecret0123456789abcdef',
  GATEPOST_API_TOKEN: 'tok_DotenvApiToken0123456789abcdef',
};

let scratch: string;
let build: { status: number | null; output: string };

beforeAll(() => {
  scratch = scratchCopy('gatepost-secrets-');
  writeFileSync(
    join(scratch, '.env'),
    Object.entries(dotenvSecrets)
      .map(([name, value]) => `${name}=${value}`)
      .join('\n'),
  );
  build = buildProject(scratch, { ...envSecrets, PUBLIC_CLERK_PUBLISHABLE_KEY: keys.publishableKey });
}, 200_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('a build with Clerk secrets present', () => {
  it('succeeds and reports its own secret check', () => {
    expect(build.status, build.output).toBe(0);
    expect(build.output).toMatch(/checked \d+ secret variable\(s\): none in the build output/);
  });

  it('contains no secret value anywhere under dist/, client or server', () => {
    const secrets = [...Object.values(envSecrets), ...Object.values(dotenvSecrets), keys.secretKey];
    // The PEM body as one line too, in case a bundler re-wraps it.
    secrets.push(keys.jwtKey.split('\n').slice(1, -2).join(''));
    const { leaks, filesScanned } = scanForLeaks(join(scratch, 'dist'), secrets);
    expect(filesScanned).toBeGreaterThan(30);
    expect(leaks).toEqual([]);
  });

  it('still contains no member-only text outside the server content module and search index', () => {
    const needles = loadSourceArticles()
      .filter((a) => secretPart(a))
      .flatMap((a) => secretPhrases(a));
    expect(scanForLeaks(join(scratch, 'dist/client'), needles).leaks).toEqual([]);
    expect(scanForLeaks(join(scratch, 'dist/server'), needles, (f) => !isServerOnlyMemberData(f)).leaks).toEqual([]);
  });

  it('does carry the public publishable key to the browser (a sanity check of the scan)', () => {
    expect(existsSync(join(scratch, 'dist/client'))).toBe(true);
    expect(scanForLeaks(join(scratch, 'dist/client'), [keys.publishableKey]).leaks.length).toBeGreaterThan(0);
  });
});
