/**
 * Applies the security headers and cache policy to *every* response of the production server, files
 * from dist/client included: @astrojs/node serves those before Astro's middleware runs, so middleware
 * alone cannot reach them. Installed once, when the server loads the middleware at start-up
 * (see src/server/load-middleware-at-start.ts), by wrapping `ServerResponse.writeHead`, which
 * every response passes through; headers a handler already set are kept.
 */
import { Server, ServerResponse, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { readFileSync } from 'node:fs';
import { cachePolicy, contentSecurityPolicy, securityHeaders } from './headers';

const INSTALLED = Symbol.for('gatepost.securityHeaders');

/** Inline-script hashes written by the build (src/security/csp-hashes.ts), next to the server entry. */
export function readScriptHashes(base: string | URL): string[] {
  for (const candidate of ['./csp-hashes.json', '../csp-hashes.json']) {
    try {
      return JSON.parse(readFileSync(new URL(candidate, base), 'utf8')) as string[];
    } catch {
      // try the next location
    }
  }
  return [];
}

function isHttps(req: IncomingMessage | undefined): boolean {
  if (!req) return false;
  const forwarded = req.headers['x-forwarded-proto'];
  return (req.socket as { encrypted?: boolean }).encrypted === true || forwarded === 'https';
}

export function installSecurityHeaders(clerkOrigins: readonly string[], scriptHashes: readonly string[]): void {
  const proto = ServerResponse.prototype as ServerResponse & { [INSTALLED]?: boolean };
  if (proto[INSTALLED]) return;
  proto[INSTALLED] = true;
  const csp = contentSecurityPolicy({ clerkOrigins, scriptHashes });
  // Built once: this runs for every response, static files included.
  const headersFor = {
    http: Object.entries(securityHeaders(csp, false)),
    https: Object.entries(securityHeaders(csp, true)),
  };
  const original = proto.writeHead;
  proto.writeHead = function writeHead(this: ServerResponse, statusCode: number, ...rest: unknown[]) {
    if (!this.headersSent) {
      const path = (this.req?.url ?? '/').split('?')[0] ?? '/';
      // Headers passed straight to writeHead (not set before) also count as "already chosen".
      const passed = rest.find(
        (arg): arg is OutgoingHttpHeaders => typeof arg === 'object' && arg !== null && !Array.isArray(arg),
      );
      const passedNames = new Set(passed ? Object.keys(passed).map((key) => key.toLowerCase()) : []);
      const has = (name: string) => this.hasHeader(name) || passedNames.has(name.toLowerCase());
      for (const [name, value] of isHttps(this.req) ? headersFor.https : headersFor.http) {
        if (!has(name)) this.setHeader(name, value);
      }
      const current = this.getHeader('cache-control');
      if (!passedNames.has('cache-control')) {
        this.setHeader(
          'Cache-Control',
          cachePolicy(path, statusCode, typeof current === 'string' ? current : undefined),
        );
      }
    }
    return original.call(this, statusCode, ...(rest as []));
  } as typeof proto.writeHead;
}

const FILTER_INSTALLED = Symbol.for('gatepost.methodFilter');

/**
 * Gatepost serves pages and files only: nothing accepts a request body (sign-in forms talk to Clerk,
 * not to this server). Every method but GET and HEAD is refused before any handler runs, static files
 * included (@astrojs/node would otherwise send a file in answer to a POST). OPTIONS gets the list.
 */
export function installMethodFilter(): void {
  const proto = Server.prototype as Server & { [FILTER_INSTALLED]?: boolean };
  if (proto[FILTER_INSTALLED]) return;
  proto[FILTER_INSTALLED] = true;
  const originalEmit = proto.emit;
  proto.emit = function emit(this: Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'request') {
      const [req, res] = args as [IncomingMessage, ServerResponse];
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(req.method === 'OPTIONS' ? 204 : 405, { Allow: 'GET, HEAD', 'Content-Length': '0' });
        res.end();
        return true;
      }
    }
    return (originalEmit as (...all: unknown[]) => boolean).call(this, event, ...args);
  } as typeof proto.emit;
}
