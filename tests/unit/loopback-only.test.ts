import { describe, expect, it } from 'vitest';
import { loopbackOrigins, PROXY_HEADERS, refuseUnlessLoopback } from '@gatepost/clerk-standin/loopback-only';

const PORT = 4321;

describe('refuseUnlessLoopback', () => {
  it.each(['localhost:4321', '127.0.0.1:4321', '[::1]:4321', 'LOCALHOST:4321'])('answers Host %j', (host) => {
    expect(refuseUnlessLoopback({ host }, PORT)).toBeNull();
  });

  it('answers same-machine pages (Origin on a loopback name and the same port)', () => {
    for (const origin of loopbackOrigins(PORT)) {
      expect(refuseUnlessLoopback({ host: '127.0.0.1:4321', origin }, PORT)).toBeNull();
    }
  });

  it.each([
    undefined,
    '',
    'evil.example',
    'evil.example:4321',
    'localhost',
    '127.0.0.1',
    'localhost:4322',
    '127.0.0.1:80',
    'localhost.:4321',
    'localhost.evil.example:4321',
    '127.0.0.2:4321',
    '0.0.0.0:4321',
    '[::1]',
    '192.168.1.10:4321',
  ])('answers Host %j with 421 and one line naming it', (host) => {
    const refusal = refuseUnlessLoopback(host === undefined ? {} : { host }, PORT);
    expect(refusal?.status).toBe(421);
    expect(refusal?.message).not.toContain('\n');
    expect(refusal?.message).toContain(`Host ${JSON.stringify(host ?? '')}`);
  });

  it.each(PROXY_HEADERS)('answers a request carrying %s with 403, even with a loopback Host', (name) => {
    const refusal = refuseUnlessLoopback({ host: 'localhost:4321', [name]: '203.0.113.7' }, PORT);
    expect(refusal?.status).toBe(403);
    expect(refusal?.message).toContain(`(${name} header)`);
    expect(refusal?.message).not.toContain('\n');
  });

  it('an empty proxy header still counts', () => {
    expect(refuseUnlessLoopback({ host: 'localhost:4321', 'x-forwarded-for': '' }, PORT)?.status).toBe(403);
  });

  it.each(['https://news.example.com', 'http://localhost:4322', 'null', 'http://127.0.0.1'])(
    'answers Origin %j with 403 (a proxy that rewrites Host, e.g. nginx by default)',
    (origin) => {
      const refusal = refuseUnlessLoopback({ host: '127.0.0.1:4321', origin }, PORT);
      expect(refusal?.status).toBe(403);
      expect(refusal?.message).toContain(JSON.stringify(origin));
    },
  );

  it('port 80: browsers leave the port out of Host and Origin', () => {
    expect(refuseUnlessLoopback({ host: 'localhost', origin: 'http://localhost' }, 80)).toBeNull();
    expect(refuseUnlessLoopback({ host: 'localhost:80' }, 80)).toBeNull();
    expect(refuseUnlessLoopback({ host: 'evil.example' }, 80)?.status).toBe(421);
  });
});
