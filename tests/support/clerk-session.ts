/**
 * Real Clerk session tokens for tests, with no network: a fresh RSA key pair per test run, a
 * production-type publishable key for a made-up Frontend API host, and RS256 session JWTs minted with
 * whatever claims a test needs. The built server gets the public key as CLERK_JWT_KEY, so Clerk's own
 * SDK verifies every token exactly as in production. The private key lives only in the test process.
 *
 * Also mints the malformed and forged tokens the attack tests send.
 */
import { createHmac, createPrivateKey, randomBytes, type KeyObject } from 'node:crypto';
import { b64url, generateSigningKeys, publishableKeyFor, signRs256 } from '@gatepost/clerk-standin/keys';

export const FAPI_HOST = 'clerk.gatepost-test.example';

export interface TestKeys {
  publishableKey: string;
  secretKey: string;
  jwtKey: string;
  privateKey: KeyObject;
}

function keysFromPem(privatePem: string, publicPem: string): TestKeys {
  return {
    publishableKey: publishableKeyFor(FAPI_HOST),
    secretKey: `sk_live_${randomBytes(18).toString('hex')}`,
    jwtKey: publicPem,
    privateKey: createPrivateKey(privatePem),
  };
}

export function generateTestKeys(): TestKeys {
  const { privateKey, publicKey } = generateSigningKeys();
  const keys = keysFromPem(
    privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  );
  return keys;
}

/**
 * Keys shared by every process of one test run (Playwright evaluates its config in each worker):
 * created once and passed down through the environment.
 */
export function sharedTestKeys(): TestKeys {
  const env = process.env;
  if (!env.GATEPOST_TEST_PRIVATE_KEY || !env.GATEPOST_TEST_JWT_KEY || !env.GATEPOST_TEST_SECRET_KEY) {
    const keys = generateTestKeys();
    env.GATEPOST_TEST_PRIVATE_KEY = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    env.GATEPOST_TEST_JWT_KEY = keys.jwtKey;
    env.GATEPOST_TEST_SECRET_KEY = keys.secretKey;
  }
  return {
    ...keysFromPem(env.GATEPOST_TEST_PRIVATE_KEY!, env.GATEPOST_TEST_JWT_KEY!),
    secretKey: env.GATEPOST_TEST_SECRET_KEY!,
  };
}

/** Environment for a built server that verifies these keys' tokens without any network. */
export function serverEnv(keys: TestKeys, origin: string): Record<string, string> {
  return {
    PUBLIC_CLERK_PUBLISHABLE_KEY: keys.publishableKey,
    CLERK_SECRET_KEY: keys.secretKey,
    CLERK_JWT_KEY: keys.jwtKey,
    // Anything that would reach Clerk's Backend API goes to a closed local port instead, and the members
    // sync, which reads nothing but that API, stays off.
    CLERK_API_URL: 'http://127.0.0.1:9',
    GATEPOST_MEMBERS_SYNC_MINUTES: '0',
    PUBLIC_CLERK_TELEMETRY_DISABLED: 'true',
    PUBLIC_CLERK_KEYLESS_DISABLED: 'true',
    SITE_URL: origin,
  };
}

/**
 * The origin the integration suites give their server as SITE_URL (`serverEnv(keys, TEST_SITE_ORIGIN)`),
 * and the `azp` tokens carry unless told otherwise: Clerk's SDK refuses tokens issued for another origin.
 */
export const TEST_SITE_ORIGIN = 'http://127.0.0.1';

export interface TokenOptions {
  /** The origin the token was issued on (Clerk's `azp`); null for a token without one. */
  azp?: string | null;
  userId?: string;
  sessionId?: string;
  /** Custom claims (e.g. `metadata`, `org_metadata`, `pla`, `fea`, `o`, `v`). */
  claims?: Record<string, unknown>;
  /** Seconds from now. Defaults: issued 10 s ago, valid for 10 minutes. */
  iat?: number;
  exp?: number;
  nbf?: number;
  /** Sign with another key (a forged or foreign token). */
  signWith?: KeyObject;
  header?: Record<string, unknown>;
}

export function mintToken(keys: TestKeys, options: TokenOptions = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    ...(options.azp === null ? {} : { azp: options.azp ?? TEST_SITE_ORIGIN }),
    iss: `https://${FAPI_HOST}`,
    sub: options.userId ?? 'user_test',
    sid: options.sessionId ?? `sess_${randomBytes(6).toString('hex')}`,
    iat: now + (options.iat ?? -10),
    nbf: now + (options.nbf ?? -10),
    exp: now + (options.exp ?? 600),
    ...options.claims,
  };
  const header = { alg: 'RS256', typ: 'JWT', kid: 'ins_test', ...options.header };
  return signRs256(options.signWith ?? keys.privateKey, header, payload);
}

/** A token with `alg: none` and no signature. */
export function unsignedToken(payload: Record<string, unknown>): string {
  return `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${b64url(JSON.stringify(payload))}.`;
}

/** HS256 "signed" with the public key as the HMAC secret (the classic algorithm-confusion attack). */
export function hs256WithPublicKey(keys: TestKeys, payload: Record<string, unknown>): string {
  const signingInput = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(payload))}`;
  return `${signingInput}.${createHmac('sha256', keys.jwtKey).update(signingInput).digest('base64url')}`;
}

/** Replaces a valid token's payload while keeping its signature (a tampered token). */
export function tamper(token: string, change: (payload: Record<string, unknown>) => Record<string, unknown>): string {
  const [header, payload, signature] = token.split('.');
  const decoded = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
  return `${header}.${b64url(JSON.stringify(change(decoded)))}.${signature}`;
}

export function decodePayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
}

/** Cookie header for a browser holding this session, the way Clerk's browser code sets it. */
export function sessionCookie(token: string): string {
  const iat = Number(decodePayload(token).iat ?? Math.floor(Date.now() / 1000));
  // __client_uat must not be newer than the token, or Clerk asks the browser to refresh it.
  return `__session=${token}; __client_uat=${iat - 5}`;
}

/** The readers the suites exercise, by the entitlement source that makes them who they are. */
export function readerClaims() {
  return {
    member: { userId: 'user_member', claims: { metadata: {} } },
    premiumByMetadata: { userId: 'user_premium_meta', claims: { metadata: { tier: 'premium' } } },
    premiumByPlan: { userId: 'user_premium_plan', claims: { v: 2, pla: 'u:premium', fea: 'u:premium_articles' } },
    premiumByFeature: {
      userId: 'user_premium_feature',
      claims: { v: 2, pla: 'u:free_user', fea: 'u:premium_articles' },
    },
    premiumByOrgPlan: {
      userId: 'user_team',
      claims: { v: 2, pla: 'o:team', fea: '', o: { id: 'org_acme', slg: 'acme', rol: 'member' } },
    },
    premiumByOrgMetadata: {
      userId: 'user_org_meta',
      claims: { v: 2, o: { id: 'org_press', slg: 'press', rol: 'member' }, org_metadata: { tier: 'premium' } },
    },
    memberOfOrgWithoutTier: {
      userId: 'user_org_plain',
      claims: { v: 2, o: { id: 'org_plain', slg: 'plain', rol: 'member' }, org_metadata: {} },
    },
    unsafeMetadataPremium: {
      userId: 'user_unsafe',
      claims: { unsafe_metadata: { tier: 'premium' }, unsafeMetadata: { tier: 'premium' } },
    },
    editor: { userId: 'user_editor', claims: { metadata: { tier: 'premium', roles: ['editor'] } } },
  } satisfies Record<string, TokenOptions>;
}
