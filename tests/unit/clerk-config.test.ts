import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { frontendApiFromPublishableKey, isPemPublicKey, resolveClerkConfig } from '../../src/clerk/config';
import { hasClerkSession } from '../../src/clerk/session-cookie';
import { secretNames } from '../../src/clerk/integration';
import { publishableKeyFor } from '@gatepost/clerk-standin/keys';

const pk = publishableKeyFor('clerk.example.test');
const pem = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .publicKey.export({ type: 'spki', format: 'pem' })
  .toString();

describe('frontendApiFromPublishableKey', () => {
  it('decodes the Frontend API host', () => {
    expect(frontendApiFromPublishableKey(pk)).toBe('clerk.example.test');
    expect(frontendApiFromPublishableKey(`pk_test_${btoa('funny-cat-12.clerk.accounts.dev$')}`)).toBe(
      'funny-cat-12.clerk.accounts.dev',
    );
  });

  it.each([
    '',
    'pk_live_',
    'sk_live_abc',
    `pk_live_${btoa('no-dollar.example')}`,
    'pk_live_%%%',
    `pk_prod_${btoa('a.b$')}`,
  ])('rejects %j', (key) => expect(frontendApiFromPublishableKey(key)).toBeNull());
});

describe('resolveClerkConfig', () => {
  it('is off, with one explanation, when nothing is set', () => {
    const config = resolveClerkConfig({});
    expect(config).toMatchObject({ enabled: false });
    if (!config.enabled) expect(config.reason).toContain('PUBLIC_CLERK_PUBLISHABLE_KEY');
  });

  it('is on with a publishable key and a JWT key, networkless', () => {
    const config = resolveClerkConfig({
      PUBLIC_CLERK_PUBLISHABLE_KEY: pk,
      CLERK_SECRET_KEY: 'sk_live_abc',
      CLERK_JWT_KEY: pem,
    });
    expect(config).toMatchObject({ enabled: true, publishableKey: pk, jwtKey: pem.trim(), warnings: [] });
  });

  it('accepts a JWT key written on one line with \\n escapes, as .env files often hold it', () => {
    const config = resolveClerkConfig({
      PUBLIC_CLERK_PUBLISHABLE_KEY: pk,
      CLERK_JWT_KEY: pem.trim().replace(/\n/g, '\\n'),
    });
    expect(config.enabled && config.jwtKey).toBe(pem.trim());
  });

  it('warns when verification would need the network', () => {
    const config = resolveClerkConfig({ PUBLIC_CLERK_PUBLISHABLE_KEY: pk, CLERK_SECRET_KEY: 'sk_live_abc' });
    expect(config.enabled && config.warnings.join(' ')).toContain('CLERK_JWT_KEY is not set');
  });

  it.each([
    [{ CLERK_SECRET_KEY: 'sk_live_abc' }, 'PUBLIC_CLERK_PUBLISHABLE_KEY is missing'],
    [{ PUBLIC_CLERK_PUBLISHABLE_KEY: 'pk_nonsense' }, 'PUBLIC_CLERK_PUBLISHABLE_KEY is malformed'],
    [{ PUBLIC_CLERK_PUBLISHABLE_KEY: pk, CLERK_SECRET_KEY: 'password' }, 'CLERK_SECRET_KEY is malformed'],
    [{ PUBLIC_CLERK_PUBLISHABLE_KEY: pk, CLERK_JWT_KEY: 'not a pem' }, 'CLERK_JWT_KEY is malformed'],
    [{ PUBLIC_CLERK_PUBLISHABLE_KEY: pk }, 'CLERK_SECRET_KEY is missing'],
  ])('is off and names the variable for %j', (env, message) => {
    const config = resolveClerkConfig(env);
    expect(config.enabled).toBe(false);
    if (!config.enabled) expect(config.reason).toContain(message);
  });

  it('recognises PEM public keys only', () => {
    expect(isPemPublicKey(pem)).toBe(true);
    expect(isPemPublicKey(pem.replace('PUBLIC', 'PRIVATE'))).toBe(false);
  });
});

describe('hasClerkSession', () => {
  it.each([
    ['__client_uat=1732000000', true],
    ['a=b; __client_uat_Xy12ab=1732000000', true],
    // Clerk's suffix is URL-safe base64: it may contain '_' and '-'.
    ['__client_uat_a_b-C9x=1732000000', true],
    ['__client_uat=0', false],
    ['__client_uat_Xy12ab=0; theme=dark', false],
    ['', false],
    ['my__client_uat=5', false],
  ])('%j → %s', (cookies, expected) => expect(hasClerkSession(cookies)).toBe(expected));
});

describe('secretNames', () => {
  it('lists non-public secrets that are long enough to search for', () => {
    expect(
      secretNames({
        CLERK_SECRET_KEY: 'sk_live_abcdefgh',
        CLERK_JWT_KEY: '-----BEGIN PUBLIC KEY-----',
        PUBLIC_CLERK_PUBLISHABLE_KEY: 'pk_live_abcdefgh',
        STRIPE_SECRET: 'x',
        HOME: '/root',
        GITHUB_TOKEN: 'ghp_abcdefghijk',
      }).sort(),
    ).toEqual(['CLERK_JWT_KEY', 'CLERK_SECRET_KEY', 'GITHUB_TOKEN']);
  });
});
