/**
 * The demo's one reachability rule, applied by both stand-in listeners (the front door, which is the
 * site, and the Backend/admin API port) before anything else: a request is answered only when it was
 * addressed to this machine by name and port and did not come through a proxy.
 *
 * Binding 127.0.0.1 alone is not enough: a reverse proxy on the same host (nginx or Caddy in front of
 * 127.0.0.1:4321, the usual deployment) would put the demo sign-in, with its published passwords, on the
 * internet. Such a proxy either passes the public Host through or adds forwarding headers; nginx's
 * default rewrites Host to the upstream address and adds none, but the browsers behind it then send their
 * public Origin with every sign-in request, which is refused too.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'] as const;

/** Headers a proxy adds to say whom it forwards for. */
export const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-real-ip'] as const;

export interface Refusal {
  status: 421 | 403;
  /** One line of plain text for the response body. */
  message: string;
}

/** The origins a browser on this machine uses for the listener on `port`. */
export function loopbackOrigins(port: number): string[] {
  return LOOPBACK_HOSTS.map((host) => `http://${host}${port === 80 ? '' : `:${port}`}`);
}

/** Null when the request may be answered; otherwise the status and the one-line reason. */
export function refuseUnlessLoopback(headers: IncomingHttpHeaders, port: number): Refusal | null {
  const proxied = PROXY_HEADERS.find((name) => headers[name] !== undefined);
  if (proxied) {
    return {
      status: 403,
      message: `Refused: this is the local demo sign-in, reachable only from this machine, and the request came through a proxy (${proxied} header). Set Clerk keys to serve readers (README, "Connect your Clerk application").`,
    };
  }
  const host = (headers.host ?? '').toLowerCase();
  const allowed = LOOPBACK_HOSTS.flatMap((name) => (port === 80 ? [name, `${name}:80`] : [`${name}:${port}`]));
  if (!allowed.includes(host)) {
    return {
      status: 421,
      message: `Misdirected: this is the local demo sign-in, answering only http://localhost:${port} (or 127.0.0.1, [::1]) on this machine, not Host ${JSON.stringify(headers.host ?? '')}.`,
    };
  }
  const origin = headers.origin;
  if (origin !== undefined && !loopbackOrigins(port).includes(origin.toLowerCase())) {
    return {
      status: 403,
      message: `Refused: this is the local demo sign-in, reachable only from pages on this machine, not from Origin ${JSON.stringify(origin)}.`,
    };
  }
  return null;
}

/** Answers the refusal and returns true, or returns false when the request may go on. */
export function refusedUnlessLoopback(req: IncomingMessage, res: ServerResponse, port: number): boolean {
  const refusal = refuseUnlessLoopback(req.headers, port);
  if (!refusal) return false;
  res.writeHead(refusal.status, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'close',
  });
  res.end(`${refusal.message}\n`);
  return true;
}
