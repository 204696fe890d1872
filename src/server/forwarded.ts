/**
 * Headers in which a proxy says what a request looked like before it (the client's address, the host
 * and scheme it asked for). Only a proxy `GATEPOST_TRUST_PROXY` trusts may say so: Fastify decides with
 * the function below, and for every other sender the server removes these headers before anything else
 * reads them, so Astro, Clerk's middleware (which builds its handshake `redirect_url` from
 * `X-Forwarded-Host`/`-Proto` on its own) and any later code see the request as it reached this server.
 */
import proxyAddr from '@fastify/proxy-addr';
import type { IncomingMessage } from 'node:http';
import type { ServerConfig } from './config';

export const FORWARDED_HEADERS = [
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-forwarded-port',
  'cloudfront-forwarded-proto',
] as const;

/** Whether the sender at `address`, `hop` proxies away (0: the one connected to this server), is trusted. */
export type TrustDecision = (address: string, hop: number) => boolean;

/** `GATEPOST_TRUST_PROXY` as one decision: Fastify gets it as `trustProxy`, the hook below uses it too. */
export function trustDecision(trust: ServerConfig['trustProxy']): TrustDecision {
  if (trust === true) return () => true;
  if (trust === false) return () => false;
  // A hop count as proxy-addr counts them: the nearest `trust` senders.
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return proxyAddr.compile(trust);
}

/** Removes the forwarding headers of a request whose sender the decision does not trust. */
export function dropUntrustedForwarding(req: IncomingMessage, trusts: TrustDecision): void {
  const sender = req.socket?.remoteAddress;
  if (sender !== undefined && trusts(sender, 0)) return;
  for (const name of FORWARDED_HEADERS) delete req.headers[name];
}

/**
 * The client's address: the socket's, or the one the nearest untrusted hop reported through trusted
 * proxies (proxy-addr, the rule Fastify's `request.ip` follows). Undefined when the socket is gone.
 */
export function clientAddress(req: IncomingMessage, trusts: TrustDecision): string | undefined {
  if (!req.socket?.remoteAddress) return undefined;
  return proxyAddr(req, trusts);
}
