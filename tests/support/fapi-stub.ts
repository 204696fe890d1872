/**
 * A stand-in for Clerk's Frontend API (FAPI) inside Playwright, so browser tests can run Clerk's real
 * browser code (clerk-js and @clerk/ui, served from the npm packages installed as devDependencies) with
 * no network. Clerk's servers are unreachable from the test machines; everything the browser would ask
 * `https://clerk.gatepost-test.example` is answered here instead.
 *
 * Only what a signed-in reader's header needs: loading the scripts, the instance settings, one client
 * with one active session, fresh session tokens, and signing out. Sign-in flows are out of scope: any
 * other FAPI path gets Clerk's error format (so clerk-js fails fast instead of waiting on a request that
 * never answers) and is listed in `unhandled` for the test to inspect.
 *
 * Session tokens are minted with the test run's private key (tests/support/clerk-session.ts), so the
 * built server verifies every token clerk-js writes into `__session` exactly as in production.
 *
 * Pitfall: don't end a test while a navigation Clerk started (e.g. the redirect after "Sign out") is
 * still in flight. With routes installed, closing the context mid-navigation sometimes hangs until the
 * test times out (seen with Playwright 1.65 + Chromium 156); wait for the destination page instead.
 */
import type { BrowserContext, Page, Route } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { extname, normalize } from 'node:path';
import { decodePayload, FAPI_HOST, mintToken, type TestKeys } from './clerk-session';
import { ROOT } from './paths';

export interface StubUser {
  firstName: string;
  lastName: string;
  email: string;
}

export interface FapiStubOptions {
  keys: TestKeys;
  /** The site's origin (e.g. `http://127.0.0.1:4330`): allowed by CORS, with credentials. */
  origin: string;
  /** The signed-in reader. Leave out `user` and `token` for a browser with no Clerk session. */
  user?: StubUser;
  /** The session token the browser holds (`__session`); its `sub`, `sid` and custom claims are reused. */
  token?: string;
}

export interface FapiStub {
  /** Every FAPI request seen, as `METHOD /path`. */
  requests: string[];
  /** Requests answered with `not_implemented`. */
  unhandled: string[];
}

/** Browser bundles Clerk's loader asks for: `/npm/@clerk/clerk-js@6/dist/clerk.browser.js` and lazy chunks. */
const PACKAGES = { 'clerk-js': 'node_modules/@clerk/clerk-js', ui: 'node_modules/@clerk/ui' } as const;
const SCRIPT_PATH = /^\/npm\/@clerk\/(clerk-js|ui)@([^/]+)\/dist\/(.+)$/;
const CONTENT_TYPES: Record<string, string> = {
  '.js': 'application/javascript; charset=utf-8',
  '.mjs': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};
/** Claims every session token has; anything else in the given token (metadata, plans…) is carried over. */
const STANDARD_CLAIMS = new Set(['azp', 'iss', 'sub', 'sid', 'iat', 'nbf', 'exp', 'jti']);

const installedVersion = (pkg: keyof typeof PACKAGES): string =>
  (JSON.parse(readFileSync(`${ROOT}${PACKAGES[pkg]}/package.json`, 'utf8')) as { version: string }).version;

export async function installFapiStub(target: Page | BrowserContext, options: FapiStubOptions): Promise<FapiStub> {
  const { keys, origin, user, token } = options;
  const stub: FapiStub = { requests: [], unhandled: [] };
  const versions = { 'clerk-js': installedVersion('clerk-js'), ui: installedVersion('ui') };

  const claims = token ? decodePayload(token) : undefined;
  const userId = String(claims?.sub ?? 'user_test');
  const sessionId = String(claims?.sid ?? 'sess_test');
  const customClaims = Object.fromEntries(Object.entries(claims ?? {}).filter(([name]) => !STANDARD_CLAIMS.has(name)));
  // The client's `updated_at` becomes the browser's `__client_uat` cookie. It must not be newer than the
  // session token's `iat`, or the server treats the token as stale and redirects to a handshake.
  const issuedAt = Number(claims?.iat ?? Math.floor(Date.now() / 1000));
  const clientUpdatedAt = (issuedAt - 5) * 1000;
  let signedIn = !!(user && token);
  let lastToken = token;

  const cors = {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    'access-control-allow-methods': 'GET, POST, PATCH, DELETE, OPTIONS',
    'access-control-allow-headers': 'content-type, authorization',
    vary: 'Origin',
  };
  const json = (route: Route, body: unknown, status = 200) =>
    route.fulfill({ status, headers: { ...cors, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const clerkError = (route: Route, status: number, code: string, message: string) =>
    json(route, { errors: [{ code, message, long_message: message, meta: {} }], clerk_trace_id: 'stub' }, status);

  // Real FAPI lives on a subdomain of the site and sets `__client_uat` on the site's domain with every
  // client it returns (clerk-js writes that cookie itself only for development instances). A made-up host
  // can't set cookies for the site, so the stub writes it through Playwright, as FAPI's Set-Cookie would:
  // after sign-out it becomes 0, which is how the site knows not to load Clerk for this browser anymore.
  const context = 'context' in target ? target.context() : target;
  const clientWithCookie = async () => {
    const client = clientJson();
    const uat = client.sessions.length ? Math.floor(client.updated_at / 1000) : 0;
    await context.addCookies([{ name: '__client_uat', value: String(uat), url: origin, sameSite: 'Lax' }]);
    return client;
  };

  const freshToken = () => {
    lastToken = mintToken(keys, { userId, sessionId, claims: customClaims });
    return lastToken;
  };
  const userJson = () => (user ? userResource(userId, user, clientUpdatedAt) : null);
  const sessionJson = () => ({
    object: 'session',
    id: sessionId,
    status: 'active',
    expire_at: Date.now() + 7 * 86_400_000,
    abandon_at: Date.now() + 30 * 86_400_000,
    last_active_at: clientUpdatedAt,
    last_active_organization_id: null,
    last_active_token: { object: 'token', jwt: lastToken ?? freshToken() },
    actor: null,
    tasks: null,
    factor_verification_age: null,
    user: userJson(),
    public_user_data: user
      ? {
          first_name: user.firstName,
          last_name: user.lastName,
          image_url: '',
          has_image: false,
          identifier: user.email,
        }
      : null,
    created_at: clientUpdatedAt,
    updated_at: clientUpdatedAt,
  });
  const clientJson = () => ({
    object: 'client',
    id: 'client_stub',
    sessions: signedIn ? [sessionJson()] : [],
    sign_in: null,
    sign_up: null,
    last_active_session_id: signedIn ? sessionId : null,
    captcha_bypass: false,
    cookie_expires_at: null,
    created_at: clientUpdatedAt,
    updated_at: signedIn ? clientUpdatedAt : Date.now(),
  });

  await target.route(`https://${FAPI_HOST}/**`, async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    // clerk-js sends DELETE/PATCH as POST with `_method` (no CORS preflight needed).
    const method = (url.searchParams.get('_method') ?? request.method()).toUpperCase();
    const path = url.pathname;
    stub.requests.push(`${method} ${path}`);

    // CORS preflight, should clerk-js ever send one.
    if (method === 'OPTIONS') return route.fulfill({ status: 204, headers: cors });

    // clerk-js, @clerk/ui and their lazy chunks, from the installed packages. Only the versions installed
    // (or their major, which is what @clerk/astro asks for), so a mismatch fails loudly here.
    const script = SCRIPT_PATH.exec(path);
    if (script) {
      const [, pkg, version, file] = script as unknown as [string, keyof typeof PACKAGES, string, string];
      const installed = versions[pkg];
      const dist = normalize(`${ROOT}${PACKAGES[pkg]}/dist/`);
      const filePath = normalize(dist + decodeURIComponent(file));
      if ((version !== installed && version !== installed.split('.')[0]) || !filePath.startsWith(dist)) {
        return route.fulfill({ status: 404, headers: cors, body: `stub serves @clerk/${pkg}@${installed} only` });
      }
      try {
        const body = readFileSync(filePath);
        const contentType = CONTENT_TYPES[extname(filePath)] ?? 'application/octet-stream';
        return await route.fulfill({ status: 200, headers: { ...cors, 'content-type': contentType }, body });
      } catch {
        return route.fulfill({ status: 404, headers: cors, body: 'not found' });
      }
    }

    // Instance settings: what clerk-js and the UI need to know about the (production) instance.
    if (method === 'GET' && path === '/v1/environment') return json(route, environment(origin));

    // The browser's client: its sessions and their users. clerk-js loads it on start.
    if (method === 'GET' && path === '/v1/client') {
      const client = await clientWithCookie();
      return json(route, { response: client, client });
    }

    const sessionPath = /^\/v1\/client\/sessions\/([^/]+)(?:\/(.+))?$/.exec(path);
    const sameSession = sessionPath?.[1] === sessionId;

    // A fresh session token: clerk-js refreshes `__session` before it expires and on focus.
    if (method === 'POST' && sameSession && sessionPath?.[2] === 'tokens') {
      if (!signedIn) return clerkError(route, 401, 'signed_out', 'The session has ended.');
      return json(route, { object: 'token', jwt: freshToken() });
    }

    // Marks the session active (clerk-js calls it when a session becomes the current one).
    if (method === 'POST' && sameSession && sessionPath?.[2] === 'touch') {
      return json(route, { response: sessionJson(), client: clientJson() });
    }

    // Sign-out: the current session ends (end/remove), or all of the client's sessions (DELETE).
    if (
      (method === 'POST' && sameSession && (sessionPath?.[2] === 'end' || sessionPath?.[2] === 'remove')) ||
      (method === 'DELETE' && (path === '/v1/client/sessions' || path === '/v1/client'))
    ) {
      const ended = { ...sessionJson(), status: sessionPath?.[2] === 'remove' ? 'removed' : 'ended' };
      signedIn = false;
      const client = await clientWithCookie();
      return json(route, { response: sessionPath ? ended : client, client });
    }

    stub.unhandled.push(`${method} ${path}`);
    return clerkError(
      route,
      method === 'GET' ? 404 : 422,
      'not_implemented',
      `The test FAPI stub does not implement ${method} ${path}.`,
    );
  });
  return stub;
}

function userResource(id: string, user: StubUser, at: number) {
  const emailId = `idn_${id}`;
  return {
    object: 'user',
    id,
    external_id: null,
    first_name: user.firstName,
    last_name: user.lastName,
    username: null,
    image_url: '',
    has_image: false,
    primary_email_address_id: emailId,
    primary_phone_number_id: null,
    primary_web3_wallet_id: null,
    email_addresses: [
      {
        object: 'email_address',
        id: emailId,
        email_address: user.email,
        reserved: false,
        verification: { status: 'verified', strategy: 'email_code', attempts: 1, expire_at: null },
        linked_to: [],
        matches_sso_connection: false,
        created_at: at,
        updated_at: at,
      },
    ],
    phone_numbers: [],
    web3_wallets: [],
    passkeys: [],
    external_accounts: [],
    saml_accounts: [],
    enterprise_accounts: [],
    organization_memberships: [],
    password_enabled: true,
    totp_enabled: false,
    backup_code_enabled: false,
    two_factor_enabled: false,
    public_metadata: {},
    unsafe_metadata: {},
    last_sign_in_at: at,
    banned: false,
    locked: false,
    delete_self_enabled: true,
    create_organization_enabled: false,
    legal_accepted_at: null,
    created_at: at,
    updated_at: at,
  };
}

/** A production instance with email + password sign-in, no organizations, no billing. */
function environment(origin: string) {
  const attribute = (enabled: boolean, extra: Record<string, unknown> = {}) => ({
    enabled,
    required: false,
    used_for_first_factor: false,
    first_factors: [],
    used_for_second_factor: false,
    second_factors: [],
    verifications: [],
    verify_at_sign_up: false,
    ...extra,
  });
  return {
    object: 'environment',
    id: 'env_stub',
    auth_config: {
      object: 'auth_config',
      id: 'aac_stub',
      single_session_mode: true,
      claimed_at: null,
      reverification: false,
    },
    display_config: {
      object: 'display_config',
      id: 'display_config_stub',
      instance_environment_type: 'production',
      application_name: 'Gatepost',
      branded: false,
      theme: {
        buttons: { font_color: '#ffffff', font_family: 'inherit', font_weight: '600' },
        general: { color: '#6c47ff' },
      },
      preferred_sign_in_strategy: 'password',
      logo_image_url: '',
      favicon_image_url: '',
      home_url: origin,
      sign_in_url: `${origin}/sign-in`,
      sign_up_url: `${origin}/sign-up`,
      user_profile_url: `${origin}/account`,
      after_sign_in_url: origin,
      after_sign_up_url: origin,
      after_sign_out_one_url: origin,
      after_sign_out_all_url: origin,
      after_switch_session_url: origin,
      organization_profile_url: '',
      create_organization_url: '',
      after_leave_organization_url: '',
      after_create_organization_url: '',
      support_email: null,
      clerk_js_version: '6',
      show_devmode_warning: false,
      captcha_public_key: null,
      captcha_widget_type: null,
      captcha_public_key_invisible: null,
      captcha_provider: null,
      captcha_oauth_bypass: [],
      google_one_tap_client_id: null,
      help_url: null,
      privacy_policy_url: null,
      terms_url: null,
    },
    user_settings: {
      attributes: {
        email_address: attribute(true, {
          required: true,
          used_for_first_factor: true,
          first_factors: ['email_code'],
          verifications: ['email_code'],
          verify_at_sign_up: true,
        }),
        phone_number: attribute(false),
        username: attribute(false),
        web3_wallet: attribute(false),
        first_name: attribute(true),
        last_name: attribute(true),
        password: attribute(true, { required: true }),
        authenticator_app: attribute(false),
        backup_code: attribute(false),
        passkey: attribute(false),
      },
      social: {},
      enterprise_sso: { enabled: false },
      saml: { enabled: false },
      sign_in: { second_factor: { required: false } },
      sign_up: {
        captcha_enabled: false,
        captcha_widget_type: null,
        custom_action_required: false,
        progressive: true,
        mode: 'public',
        legal_consent_enabled: false,
      },
      restrictions: {
        allowlist: { enabled: false },
        blocklist: { enabled: false },
        block_email_subaddresses: { enabled: false },
        block_disposable_email_domains: { enabled: false },
        ignore_dots_for_gmail_addresses: { enabled: false },
      },
      password_settings: {
        min_length: 8,
        max_length: 72,
        disable_hibp: true,
        require_special_char: false,
        require_numbers: false,
        require_uppercase: false,
        require_lowercase: false,
        show_zxcvbn: false,
        min_zxcvbn_strength: 0,
        enforce_hibp_on_sign_in: false,
        allowed_special_characters: '',
      },
      passkey_settings: { allow_autofill: false, show_sign_in_button: false },
      username_settings: { min_length: 4, max_length: 64 },
      actions: { delete_self: true, create_organization: false },
      attack_protection: {
        user_lockout: { enabled: false },
        pii: { enabled: false },
        email_link: { require_same_client: false },
      },
    },
    organization_settings: {
      enabled: false,
      max_allowed_memberships: 0,
      force_organization_selection: false,
      actions: { admin_delete: false },
      domains: { enabled: false, enrollment_modes: [], default_role: null },
    },
    commerce_settings: {
      billing: {
        stripe_publishable_key: null,
        user: { enabled: false, has_paid_plans: false },
        organization: { enabled: false, has_paid_plans: false },
      },
    },
    api_keys_settings: { enabled: false, user_api_keys_enabled: false, orgs_api_keys_enabled: false },
    maintenance_mode: false,
    client_debug_mode: false,
  };
}
