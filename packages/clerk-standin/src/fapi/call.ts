/**
 * One browser request to the stand-in's Frontend API (`Call`), what every FAPI route handles, and the
 * guards routes share: a signed-in reader, a session of this browser, a sign-in of this browser.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Account } from '../accounts.ts';
import { parseCookies, readParams, sendJson, setCookie } from '../http.ts';
import type { Client, Instance, Session } from '../instance.ts';
import { clerkErrorBody, clientResource } from '../resources/index.ts';
import type { PathParams, Route } from '../routes.ts';

export interface FapiContext {
  instance: Instance;
  /** The proxy path the front door mounts this on, e.g. `/__clerk`. */
  mount: string;
  log: (line: string) => void;
}

/** One browser request to the Frontend API, with what every route needs to answer it. */
export interface Call {
  ctx: FapiContext;
  instance: Instance;
  res: ServerResponse;
  url: URL;
  /** The site's origin as the browser sees it (the front door preserves the Host header). */
  origin: string;
  params: Record<string, unknown>;
  /** The browser's client, when its `__client` cookie names one. */
  client: Client | undefined;
  setCookies: string[];
  ensureClient(): Client;
  /** FAPI's envelope: the resource, and the browser's client so clerk-js can update its state. */
  reply(status: number, response: unknown): void;
  /** A body as is, without the envelope (tokens, the environment, billing plans and payment attempts). */
  send(status: number, body: unknown): void;
  fail(status: number, code: string, message: string, longMessage?: string, param?: string): void;
  /** The session a `/v1/me…` or session request acts for: the one named, if it belongs to this browser. */
  currentSession(named?: string | null): Session | undefined;
}

/** A Frontend API route: `path` is relative to the proxy path (`/v1/client`, `/v1/me/…`). */
export type FapiRoute = Route<Call>;
export type Handler = FapiRoute['handle'];

const CLIENT_COOKIE = '__client';
const YEAR_SECONDS = 365 * 86_400;

/** Cookie names, plain and suffixed (Clerk's SDKs read either, depending on what the browser holds). */
export const cookieNames = (instance: Instance, base: string) => [base, `${base}_${instance.keys.cookieSuffix}`];

/** The `__client_uat` cookies for this browser's client (0 once it has no session). */
export const clientUatCookies = (instance: Instance, client: Client | undefined) =>
  cookieNames(instance, '__client_uat').map((name) =>
    setCookie(name, String(instance.clientUat(client)), { maxAge: YEAR_SECONDS }),
  );

/** The `__session` cookies: the token, or cleared when there is none. */
export const sessionCookies = (instance: Instance, token: string) =>
  cookieNames(instance, '__session').map((name) => setCookie(name, token, { maxAge: token ? YEAR_SECONDS : 0 }));

export async function callFor(ctx: FapiContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<Call> {
  const { instance } = ctx;
  const params = await readParams(req);
  const cookies = parseCookies(req.headers.cookie);
  const call: Call = {
    ctx,
    instance,
    res,
    url,
    origin: `http://${req.headers.host ?? '127.0.0.1'}`,
    params,
    client: instance.client(cookies[CLIENT_COOKIE]),
    setCookies: [],
    ensureClient() {
      call.client ??= instance.createClient();
      return call.client;
    },
    reply(status, response) {
      const body: Record<string, unknown> = { response };
      if (call.client) {
        body.client = clientResource(instance.clientData(call.client, call.origin));
        // Real FAPI sets `__client_uat` on the site's domain with every client it returns.
        call.setCookies.push(
          setCookie(CLIENT_COOKIE, call.client.id, { path: ctx.mount, httpOnly: true, maxAge: YEAR_SECONDS }),
          ...clientUatCookies(instance, call.client),
        );
      }
      sendJson(res, status, body, call.setCookies.length ? { 'set-cookie': call.setCookies } : {});
    },
    send(status, body) {
      sendJson(res, status, body);
    },
    fail(status, code, message, longMessage = message, param) {
      sendJson(res, status, clerkErrorBody(code, message, longMessage, param), {
        ...(call.setCookies.length ? { 'set-cookie': call.setCookies } : {}),
      });
    },
    currentSession(named) {
      if (!call.client) return undefined;
      const sessions = instance.activeSessions(call.client);
      const wanted = named ?? url.searchParams.get('_clerk_session_id') ?? call.client.lastActiveSessionId;
      return sessions.find((s) => s.id === wanted) ?? (named ? undefined : sessions[0]);
    },
  };
  return call;
}

/** A route for the signed-in reader (`/v1/me…`): 401 when this browser has no session. */
export const asUser =
  (handle: (call: Call, account: Account, session: Session, params: PathParams) => void): Handler =>
  (call, params) => {
    const session = call.currentSession();
    if (!session) return call.fail(401, 'authentication_invalid', 'You are signed out. Sign in again.');
    handle(call, call.instance.accounts.get(session.userId)!, session, params);
  };

/** A route for `/v1/client/sessions/:id/…`: 401 when the session named is not this browser's. */
export const forSession =
  (handle: (call: Call, session: Session, account: Account, params: PathParams) => void): Handler =>
  (call, params) => {
    const session = call.currentSession(params.id);
    if (!session) return call.fail(401, 'authentication_invalid', 'The session has ended. Sign in again.');
    handle(call, session, call.instance.accounts.get(session.userId)!, params);
  };

/** One page of a list, as clerk-js asks for it (`limit`, `offset`) and reads it (`data`, `total_count`). */
export function page(call: Call, items: unknown[], extra: Record<string, unknown> = {}) {
  const limit = Math.min(Math.max(Number(call.url.searchParams.get('limit')) || 10, 1), 500);
  const offset = Math.max(Number(call.url.searchParams.get('offset')) || 0, 0);
  call.reply(200, { data: items.slice(offset, offset + limit), total_count: items.length, ...extra });
}
