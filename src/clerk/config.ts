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

/** The kind of Clerk instance a publishable key belongs to, as Clerk's SDK tells them apart. */
export function instanceFromPublishableKey(key: string): 'production' | 'development' {
  return key.trim().startsWith('pk_live_') ? 'production' : 'development';
}

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
  'Set PUBLIC_CLERK_PUBLISHABLE_KEY and CLERK_SECRET_KEY (and CLERK_JWT_KEY) from your Clerk dashboard, API keys page; see README, "Go live", and docs/deploy.md, "Connecting Clerk".';

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

export interface AuthorizedPartiesEnv {
  SITE_URL?: string | undefined;
  GATEPOST_AUTHORIZED_ORIGINS?: string | undefined;
}

export interface AuthorizedParties {
  /** Origins a session token's `azp` may name, for Clerk's `authorizedParties`; never empty. */
  origins: string[];
  /** The site's own origin (the first of `origins`): where links the server hands out point. */
  siteOrigin: string;
  /** Entries that were ignored, each named with the reason, to report once at start-up. */
  problems: string[];
}

/** `https://host[:port]` (or http), nothing else: no path, query, fragment, credentials or wildcard. */
export function parseOrigin(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password || url.search || url.hash || url.pathname !== '/') return null;
  // Host names and IP addresses only: WHATWG URLs also allow e.g. "*", which is no origin.
  if (!/^([a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/.test(url.hostname)) return null;
  // URL quietly drops an empty "?" or "#": the text itself must end with the host (or one "/").
  return /^https?:\/\/[^/?#]+\/?$/i.test(value) ? url.origin : null;
}

/**
 * The origins whose session tokens this site accepts: the origin of SITE_URL (at run time, else the
 * site the build was made for) plus GATEPOST_AUTHORIZED_ORIGINS, comma-separated. A token issued on
 * any other origin (its `azp` claim) is refused by Clerk's SDK.
 */
export function resolveAuthorizedParties(env: AuthorizedPartiesEnv, builtSite: string): AuthorizedParties {
  const problems: string[] = [];
  const origins = new Set<string>();
  const siteUrl = env.SITE_URL?.trim();
  let siteOrigin: string | null = null;
  if (siteUrl) {
    try {
      siteOrigin = new URL(siteUrl).origin;
    } catch {
      problems.push(`SITE_URL ${JSON.stringify(siteUrl)} is not a URL; using the built site ${builtSite}.`);
    }
  }
  if (siteOrigin === null || siteOrigin === 'null') siteOrigin = new URL(builtSite).origin;
  origins.add(siteOrigin);
  for (const entry of (env.GATEPOST_AUTHORIZED_ORIGINS ?? '').split(',')) {
    const text = entry.trim();
    if (!text) continue;
    const origin = parseOrigin(text);
    if (origin) origins.add(origin);
    else
      problems.push(
        `GATEPOST_AUTHORIZED_ORIGINS entry ${JSON.stringify(text)} is not an origin like https://example.com or https://example.com:8443; ignored.`,
      );
  }
  return { origins: [...origins], siteOrigin, problems };
}
