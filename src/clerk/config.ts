/**
 * Is Clerk configured well enough to verify sessions? Decided once, from the server's environment at
 * start-up, so a fresh clone with no keys serves the site (everyone anonymous) instead of failing every
 * server-rendered request, and so a broken key is reported once, by name, instead of per request.
 *
 * Plain TypeScript: the caller passes the environment in, tests pass their own.
 */

export interface ClerkEnv {
  PUBLIC_CLERK_PUBLISHABLE_KEY?: string | undefined;
  CLERK_SECRET_KEY?: string | undefined;
  CLERK_JWT_KEY?: string | undefined;
}

export type ClerkConfig =
  | {
      enabled: true;
      publishableKey: string;
      /** Trimmed and checked; passed to Clerk's middleware, so what was checked is what Clerk uses. */
      secretKey: string | undefined;
      /** PEM public key for networkless verification, when set. */
      jwtKey: string | undefined;
      /** Start-up notes worth a warning (e.g. no JWT key: every verification needs Clerk's API). */
      warnings: string[];
    }
  | { enabled: false; reason: string };

const PUBLISHABLE_KEY = /^pk_(test|live)_([A-Za-z0-9+/=_-]+)$/;

/** The Frontend API host encoded in a publishable key, or null when the key is malformed. */
export function frontendApiFromPublishableKey(key: string): string | null {
  const match = PUBLISHABLE_KEY.exec(key.trim());
  if (!match) return null;
  let decoded: string;
  try {
    decoded = atob(match[2]!.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    return null;
  }
  if (!decoded.endsWith('$')) return null;
  const host = decoded.slice(0, -1);
  return /^[a-z0-9.-]+(:\d+)?$/i.test(host) && host.includes('.') ? host : null;
}

export function isPemPublicKey(value: string): boolean {
  const pem = value.replace(/\\n/g, '\n').trim();
  return /^-----BEGIN PUBLIC KEY-----\s+[A-Za-z0-9+/=\s]+-----END PUBLIC KEY-----$/.test(pem);
}

export const SETUP_HINT =
  'Set PUBLIC_CLERK_PUBLISHABLE_KEY and CLERK_SECRET_KEY (and CLERK_JWT_KEY) from your Clerk dashboard, API keys page; see README "Connect your Clerk application".';

export function resolveClerkConfig(env: ClerkEnv): ClerkConfig {
  const publishableKey = env.PUBLIC_CLERK_PUBLISHABLE_KEY?.trim();
  const secretKey = env.CLERK_SECRET_KEY?.trim();
  const jwtKey = env.CLERK_JWT_KEY?.trim();

  if (!publishableKey && !secretKey && !jwtKey) {
    return {
      enabled: false,
      reason: `Clerk is not configured: sign-in is off and every reader is anonymous. ${SETUP_HINT}`,
    };
  }
  if (!publishableKey) {
    return { enabled: false, reason: `PUBLIC_CLERK_PUBLISHABLE_KEY is missing. ${SETUP_HINT}` };
  }
  if (!frontendApiFromPublishableKey(publishableKey)) {
    return {
      enabled: false,
      reason:
        'PUBLIC_CLERK_PUBLISHABLE_KEY is malformed: expected "pk_live_…" or "pk_test_…" as shown in the Clerk dashboard.',
    };
  }
  if (secretKey && !/^sk_(test|live)_\S+$/.test(secretKey)) {
    return { enabled: false, reason: 'CLERK_SECRET_KEY is malformed: expected "sk_live_…" or "sk_test_…".' };
  }
  if (jwtKey && !isPemPublicKey(jwtKey)) {
    return {
      enabled: false,
      reason:
        'CLERK_JWT_KEY is malformed: expected the PEM public key from the Clerk dashboard ("-----BEGIN PUBLIC KEY-----…").',
    };
  }
  if (!secretKey && !jwtKey) {
    return {
      enabled: false,
      reason: `CLERK_SECRET_KEY is missing, and there is no CLERK_JWT_KEY to verify sessions with. ${SETUP_HINT}`,
    };
  }
  const warnings: string[] = [];
  if (!jwtKey) {
    warnings.push(
      'CLERK_JWT_KEY is not set: every session check fetches Clerk\'s signing keys over the network. Set it (Clerk dashboard, API keys, "JWKS public key") for networkless verification.',
    );
  }
  if (!secretKey) {
    warnings.push('CLERK_SECRET_KEY is not set: session refresh handshakes and Clerk API calls will fail.');
  }
  return { enabled: true, publishableKey, secretKey, jwtKey: jwtKey?.replace(/\\n/g, '\n'), warnings };
}
