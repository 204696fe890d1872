/**
 * Clerk-shaped keys and RS256 session tokens, minted offline: the stand-in's instance keys here, and the
 * tests' keys (tests/support/clerk-session.ts) from the same functions.
 *
 * The stand-in's instance keys are generated fresh on every start and kept in memory only: nothing here
 * is ever written to disk, so a token from one run cannot verify against the next run's public key.
 *
 * The publishable key is a production-type `pk_live_` key. A development key (`pk_test_`) would make
 * Clerk's middleware demand a dev-browser token and redirect page loads to the Frontend API host, which
 * the stand-in does not own; with a production key and a proxy URL every browser-facing call goes
 * through the proxy path on the site's own origin instead.
 */
import { createHash, createSign, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';

/**
 * The Frontend API host encoded in the publishable key. Never contacted: with PUBLIC_CLERK_PROXY_URL set,
 * clerk-js and the server's handshake redirects use the proxy. `.localhost` names resolve to the loopback
 * interface in browsers, so a request that bypassed the proxy by mistake fails fast and locally instead
 * of leaving the machine. It is also the issuer (`iss`) of every session token: Clerk's SDK compares the
 * two when it chooses between plain and suffixed cookies.
 */
export const STANDIN_FAPI_HOST = 'clerk.standin.localhost';

export interface InstanceKeys {
  publishableKey: string;
  secretKey: string;
  /** SPKI PEM public key: the site's CLERK_JWT_KEY. */
  jwtKey: string;
  /** The signing key; lives only in the stand-in process. */
  privateKey: KeyObject;
  /** Key id in every token header and in the JWKS. */
  kid: string;
  /** Clerk's cookie suffix for this publishable key (`__session_<suffix>`, `__client_uat_<suffix>`). */
  cookieSuffix: string;
  /** The public key as a JWK, for GET /v1/jwks. */
  jwk: Record<string, unknown>;
}

/** A production-type publishable key naming `host` as its Frontend API, the way Clerk encodes it. */
export function publishableKeyFor(host: string): string {
  return `pk_live_${Buffer.from(`${host}$`).toString('base64')}`;
}

/** A fresh RSA key pair for RS256 session tokens. */
export function generateSigningKeys() {
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

export function generateInstanceKeys(host = STANDIN_FAPI_HOST): InstanceKeys {
  const { privateKey, publicKey } = generateSigningKeys();
  const publishableKey = publishableKeyFor(host);
  const kid = `ins_standin_${randomBytes(6).toString('hex')}`;
  return {
    publishableKey,
    secretKey: `sk_live_standin_${randomBytes(24).toString('hex')}`,
    jwtKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKey,
    kid,
    cookieSuffix: cookieSuffix(publishableKey),
    jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' },
  };
}

/** Same derivation as @clerk/shared `getCookieSuffix`: first 8 characters of base64url(sha1(key)). */
export function cookieSuffix(publishableKey: string): string {
  return createHash('sha1').update(publishableKey).digest('base64').replace(/\+/g, '-').replace(/\//g, '_').slice(0, 8);
}

export const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** A JWT with this header and payload, signed RS256 with `privateKey`. */
export function signRs256(privateKey: KeyObject, header: Record<string, unknown>, payload: Record<string, unknown>) {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  return `${input}.${b64url(createSign('RSA-SHA256').update(input).sign(privateKey))}`;
}

/** An RS256 JWT, signed the way Clerk signs session tokens. */
export function signJwt(keys: InstanceKeys, payload: Record<string, unknown>): string {
  return signRs256(keys.privateKey, { alg: 'RS256', typ: 'JWT', kid: keys.kid }, payload);
}
