/**
 * The local stand-in for Clerk: two loopback-only HTTP servers around one in-memory instance.
 *
 * - The **front door** (the site's origin, e.g. http://localhost:4321) answers Clerk's Frontend API under
 *   `/__clerk/…` and forwards everything else, untouched and with its Host header, to the real Gatepost
 *   server listening on another loopback port. The site is configured with PUBLIC_CLERK_PROXY_URL=/__clerk,
 *   Clerk's own setting for serving FAPI from the application's domain, so clerk-js, Clerk's UI and the
 *   server's handshake redirects all reach the stand-in on the site's origin, and the cookies it sets
 *   (`__client_uat`, and `__session` in a handshake) belong to the site. No application code changes.
 * - The **API port** answers Clerk's Backend API (the site's CLERK_API_URL) and the admin API.
 *
 * Both answer only requests addressed to this machine and not forwarded by a proxy (loopback-only.ts).
 *
 * Why the stand-in is the front door rather than a separate proxy process: one process fewer to start
 * and stop, and the production server stays exactly what `node dist/server/gatepost.mjs` runs. See
 * docs/testing.md.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleBackend } from './bapi/index.ts';
import { BUNDLES, installedVersion } from './fapi/bundles.ts';
import { handleFapi, type FapiContext } from './fapi/index.ts';
import { errorResponse } from './http.ts';
import { Instance, type InstanceOptions } from './instance.ts';
import { loopbackOrigins, refusedUnlessLoopback } from './loopback-only.ts';
import { WebhookSender } from './webhooks/sender.ts';
import { newSigningSecret } from './webhooks/svix.ts';
import { startMailCatcher, type MailCatcher } from './mail.ts';
import { handleMailPages } from './mail-pages.ts';

/** Everything the stand-in binds to. Never configurable: it is a demo without real security. */
export const LOOPBACK = '127.0.0.1';
export const PROXY_PATH = '/__clerk';

export interface StandinOptions extends InstanceOptions {
  /** Front-door port (the site's origin); 0 picks a free one. */
  port?: number;
  /** Backend/admin API port; 0 picks a free one. */
  apiPort?: number;
  /** Host name browsers use for the site (`localhost` or `127.0.0.1`): the origin printed and used as SITE_URL. */
  publicHost?: string;
  /** Where the real site listens; can be set later with `setUpstream` once it has started. */
  upstream?: string;
  /**
   * The site's path for Clerk's webhooks (Gatepost: `/api/webhooks/clerk`). When set, the stand-in signs
   * every change (sign-ups, metadata, Billing, organization memberships, deletions) with a secret made
   * for this run and posts it there, on the upstream; `siteEnv()` carries the secret.
   */
  webhookPath?: string;
  /** Delays before each webhook retry (tests shorten them). */
  webhookRetryDelaysMs?: readonly number[];
  /** Also run the loopback mail catcher (./mail.ts), listed at `<apiUrl>/__mail/`; the site sends to it. */
  mail?: boolean;
  log?: (line: string) => void;
}

export interface Standin {
  instance: Instance;
  /** The site's origin as browsers reach it, e.g. http://localhost:4321. */
  origin: string;
  port: number;
  apiPort: number;
  /** The Backend API base URL (CLERK_API_URL). */
  apiUrl: string;
  /** The mail catcher, when started with `mail: true`. */
  mail?: MailCatcher;
  /** Environment for the Gatepost server: keys, proxy URL, Backend API URL, webhook signing secret, SMTP. */
  siteEnv: () => Record<string, string>;
  /** The webhook sender, when `webhookPath` was given: its counters, and `idle()` for tests. */
  webhooks: WebhookSender | null;
  setUpstream: (url: string) => void;
  stop: () => Promise<void>;
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function forward(upstream: URL | null, req: IncomingMessage, res: ServerResponse) {
  if (!upstream) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '1' });
    res.end('Gatepost is starting…');
    return;
  }
  const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
  const proxied = request(
    { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
    (response) => {
      const out = Object.fromEntries(Object.entries(response.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
      res.writeHead(response.statusCode ?? 502, out);
      response.pipe(res);
    },
  );
  proxied.on('error', (error) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`The Gatepost server did not answer: ${error.message}`);
  });
  req.pipe(proxied);
}

export async function startStandin(options: StandinOptions = {}): Promise<Standin> {
  for (const pkg of Object.keys(BUNDLES) as (keyof typeof BUNDLES)[]) {
    try {
      installedVersion(pkg);
    } catch {
      throw new Error(
        `@clerk/${pkg} is not installed: the stand-in serves Clerk's browser code from the devDependencies. Run \`npm install\`.`,
      );
    }
  }
  const instance = new Instance(options);
  const log = options.log ?? (() => undefined);
  let upstream: URL | null = null;
  const webhooks = options.webhookPath
    ? new WebhookSender({
        secret: newSigningSecret(),
        log,
        ...(options.webhookRetryDelaysMs ? { retryDelaysMs: options.webhookRetryDelaysMs } : {}),
      })
    : null;
  if (webhooks) instance.onEvent((event) => webhooks.send(event));
  const setUpstream = (url: string) => {
    upstream = new URL(url);
    if (webhooks && options.webhookPath) webhooks.setTarget(new URL(options.webhookPath, upstream).href);
  };
  if (options.upstream) setUpstream(options.upstream);
  const fapi: FapiContext = { instance, mount: PROXY_PATH, log };

  // Every request to either listener, the site's pages included, passes this check first.
  const frontDoor = createServer((req, res) => {
    if (refusedUnlessLoopback(req, res, req.socket.localPort ?? 0)) return;
    const url = new URL(req.url ?? '/', 'http://front-door');
    if (url.pathname === PROXY_PATH || url.pathname.startsWith(`${PROXY_PATH}/`)) {
      instance.stats.requests += 1;
      handleFapi(fapi, req, res, url).catch((error: unknown) => errorResponse(res, error));
      return;
    }
    forward(upstream, req, res);
  });
  const api = createServer((req, res) => {
    if (refusedUnlessLoopback(req, res, req.socket.localPort ?? 0)) return;
    const url = new URL(req.url ?? '/', 'http://api');
    if (handleMailPages(mail, url.pathname, res)) return;
    // Counted apart: the site's members sync reads the Backend API in the background.
    if (url.pathname.startsWith('/__admin')) instance.stats.requests += 1;
    else instance.stats.backendRequests += 1;
    handleBackend(instance, req, res, url).catch((error: unknown) => errorResponse(res, error));
  });

  const mail = options.mail ? await startMailCatcher({ log }) : undefined;
  const port = await listen(frontDoor, options.port ?? 0);
  let apiPort: number;
  try {
    apiPort = await listen(api, options.apiPort ?? 0);
  } catch (error) {
    await close(frontDoor);
    await mail?.stop();
    throw error;
  }
  const origin = `http://${options.publicHost ?? 'localhost'}:${port}`;
  const apiUrl = `http://${LOOPBACK}:${apiPort}`;

  return {
    instance,
    origin,
    port,
    apiPort,
    apiUrl,
    ...(mail ? { mail } : {}),
    siteEnv: () => ({
      ...(mail ? { GATEPOST_SMTP_URL: mail.url, GATEPOST_DEMO_MAIL_URL: `${apiUrl}/__mail/` } : {}),
      PUBLIC_CLERK_PUBLISHABLE_KEY: instance.keys.publishableKey,
      CLERK_SECRET_KEY: instance.keys.secretKey,
      CLERK_JWT_KEY: instance.keys.jwtKey,
      CLERK_API_URL: apiUrl,
      // Relative: Clerk resolves it against the page's (or request's) own origin, so the site works
      // whether the browser calls it localhost or 127.0.0.1.
      PUBLIC_CLERK_PROXY_URL: PROXY_PATH,
      PUBLIC_CLERK_SIGN_IN_URL: '/sign-in',
      PUBLIC_CLERK_SIGN_UP_URL: '/sign-up',
      PUBLIC_CLERK_TELEMETRY_DISABLED: 'true',
      PUBLIC_CLERK_KEYLESS_DISABLED: 'true',
      SITE_URL: origin,
      // The front door answers every loopback name for its port; tokens are issued for the one used.
      GATEPOST_AUTHORIZED_ORIGINS: loopbackOrigins(port).join(','),
      ...(webhooks ? { CLERK_WEBHOOK_SIGNING_SECRET: webhooks.secret } : {}),
    }),
    webhooks,
    setUpstream,
    stop: async () => {
      webhooks?.stop();
      await Promise.all([close(frontDoor), close(api), mail?.stop()]);
    },
  };
}
