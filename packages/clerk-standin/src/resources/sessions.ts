/**
 * The JSON shapes of Clerk's Frontend API for sessions and the browser's client, as clerk-js 6 reads them.
 */
import type { signInResource } from './sign-in.ts';
import type { signUpResource } from './sign-up.ts';
import { publicUserData, userResource, type UserData } from './users.ts';

const DAY_MS = 86_400_000;

/**
 * How long a session lasts, as in a Clerk instance's default settings: it expires after 7 days without
 * activity and is abandoned 30 days after it started, whatever the activity. The Frontend and Backend
 * API views of a session both read their `expire_at` and `abandon_at` from here.
 */
export const SESSION_LIFETIME = { inactivityMs: 7 * DAY_MS, maximumMs: 30 * DAY_MS } as const;

/** A session's `expire_at` and `abandon_at` (milliseconds), from when it started and was last active. */
export function sessionEnds(session: { createdAt: number; lastActiveAt: number }) {
  return {
    expire_at: session.lastActiveAt + SESSION_LIFETIME.inactivityMs,
    abandon_at: session.createdAt + SESSION_LIFETIME.maximumMs,
  };
}

export interface SessionData {
  id: string;
  user: UserData;
  status: 'active' | 'ended' | 'removed';
  /** The session token clerk-js starts with. */
  lastActiveToken: string;
  activeOrganizationId: string | null;
  createdAt: number;
  lastActiveAt: number;
}

export function sessionResource(session: SessionData) {
  return {
    object: 'session',
    id: session.id,
    status: session.status,
    ...sessionEnds(session),
    last_active_at: session.lastActiveAt,
    last_active_organization_id: session.activeOrganizationId,
    last_active_token: { object: 'token', jwt: session.lastActiveToken },
    actor: null,
    tasks: null,
    factor_verification_age: [0, -1],
    user: userResource(session.user),
    public_user_data: publicUserData(session.user),
    created_at: session.createdAt,
    updated_at: session.lastActiveAt,
  };
}

/** The entry UserProfile's "Active devices" list shows for a session. */
export function sessionWithActivityResource(session: SessionData) {
  const { object, id, status, expire_at, abandon_at, last_active_at, actor } = sessionResource(session);
  return {
    object,
    id,
    status,
    expire_at,
    abandon_at,
    last_active_at,
    actor,
    latest_activity: {
      object: 'session_activity',
      id: `sess_activity_${id}`,
      browser_name: 'Chromium',
      browser_version: '',
      device_type: 'Local demo',
      ip_address: '127.0.0.1',
      city: '',
      country: '',
      is_mobile: false,
    },
  };
}

export interface ClientData {
  id: string;
  sessions: SessionData[];
  signIn: ReturnType<typeof signInResource> | null;
  signUp: ReturnType<typeof signUpResource> | null;
  lastActiveSessionId: string | null;
  createdAt: number;
  /** Becomes the `__client_uat` cookie (in seconds). */
  updatedAt: number;
}

export function clientResource(client: ClientData) {
  return {
    object: 'client',
    id: client.id,
    sessions: client.sessions.map(sessionResource),
    sign_in: client.signIn,
    sign_up: client.signUp,
    last_active_session_id: client.lastActiveSessionId,
    captcha_bypass: false,
    cookie_expires_at: null,
    created_at: client.createdAt,
    updated_at: client.updatedAt,
  };
}
