/**
 * One browser talking to the stand-in's Frontend API as clerk-js does (form bodies, `_method`, the
 * `__client` cookie), for tests of the member journey that need no real browser.
 */

export interface FapiAnswer {
  status: number;
  body: {
    response?: Record<string, unknown> & { data?: Record<string, unknown>[]; total_count?: number };
    client?: {
      sign_up: Record<string, unknown> | null;
      sessions: { id: string; last_active_organization_id: string | null; user: Record<string, unknown> }[];
      last_active_session_id: string | null;
    };
    errors?: { code: string; long_message: string; meta: { param_name?: string } }[];
    jwt?: string;
  };
}

export type Fapi = (method: string, path: string, form?: Record<string, string | string[]>) => Promise<FapiAnswer>;

/** A new browser on the site at `origin` (the stand-in's front door); it keeps its own `__client` cookie. */
export function fapiBrowser(origin: string): Fapi {
  let clientCookie = '';
  return async function fapi(method, path, form) {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(form ?? {})) {
      for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
    }
    const url = new URL(`${origin}/__clerk/v1${path}`);
    if (method !== 'GET' && method !== 'POST') url.searchParams.set('_method', method);
    const response = await fetch(url, {
      method: method === 'GET' ? 'GET' : 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: clientCookie },
      ...(method === 'GET' ? {} : { body }),
    });
    const set = response.headers.getSetCookie().find((line) => line.startsWith('__client='));
    if (set) clientCookie = set.split(';')[0]!;
    return { status: response.status, body: (await response.json()) as FapiAnswer['body'] } satisfies FapiAnswer;
  };
}

/** Signs `address` in with the demo password; the browser and its session id. */
export async function fapiSignIn(origin: string, address: string, password = 'gatepost-demo') {
  const fapi = fapiBrowser(origin);
  const signedIn = await fapi('POST', '/client/sign_ins', { identifier: address, password });
  const sessionId = signedIn.body.client?.last_active_session_id;
  if (!sessionId) throw new Error(`sign-in of ${address} failed: ${JSON.stringify(signedIn.body.errors)}`);
  return { fapi, sessionId };
}

/** Signs up `address` with a password and Clerk's test-mode email code, as <SignUp/> does. */
export async function fapiSignUp(origin: string, address: string, code = '424242') {
  const fapi = fapiBrowser(origin);
  const created = await fapi('POST', '/client/sign_ups', { email_address: address, password: 'a-long-password' });
  const id = created.body.response?.id as string;
  await fapi('POST', `/client/sign_ups/${id}/prepare_verification`, { strategy: 'email_code' });
  const done = await fapi('POST', `/client/sign_ups/${id}/attempt_verification`, { strategy: 'email_code', code });
  if (done.body.response?.status !== 'complete') throw new Error(`sign-up of ${address} did not complete`);
  return { fapi, userId: done.body.response.created_user_id as string };
}
