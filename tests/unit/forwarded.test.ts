/** Forwarding headers survive only from a sender GATEPOST_TRUST_PROXY trusts (src/server/forwarded.ts). */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { parseTrustProxy } from '../../src/server/config';
import { dropUntrustedForwarding, FORWARDED_HEADERS, trustDecision } from '../../src/server/forwarded';

const request = (remoteAddress: string) =>
  ({
    socket: { remoteAddress },
    headers: {
      host: 'gatepost.example',
      cookie: 'a=1',
      ...Object.fromEntries(FORWARDED_HEADERS.map((name) => [name, 'evil.example'])),
    },
  }) as unknown as IncomingMessage;

const kept = (setting: string | undefined, sender: string) => {
  const req = request(sender);
  dropUntrustedForwarding(req, trustDecision(parseTrustProxy(setting)));
  return FORWARDED_HEADERS.filter((name) => name in req.headers);
};

describe('forwarding headers', () => {
  it('are dropped from every sender by default, and the rest of the request is left alone', () => {
    const req = request('127.0.0.1');
    dropUntrustedForwarding(req, trustDecision(parseTrustProxy(undefined)));
    expect(req.headers).toEqual({ host: 'gatepost.example', cookie: 'a=1' });
  });

  it('are kept only from the proxies named', () => {
    expect(kept('loopback', '127.0.0.1')).toEqual([...FORWARDED_HEADERS]);
    expect(kept('loopback', '203.0.113.9')).toEqual([]);
    expect(kept('10.0.0.0/8, 192.168.1.2', '10.1.2.3')).toEqual([...FORWARDED_HEADERS]);
    expect(kept('10.0.0.0/8, 192.168.1.2', '192.168.1.3')).toEqual([]);
    expect(kept('true', '203.0.113.9')).toEqual([...FORWARDED_HEADERS]);
    expect(kept('1', '203.0.113.9')).toEqual([...FORWARDED_HEADERS]);
    expect(kept('false', '127.0.0.1')).toEqual([]);
  });
});
