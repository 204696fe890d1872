/**
 * A port nothing listens on right now, on the loopback interface: for the servers the demo, `npm run
 * publish`'s release check and the tests start. (Another process may take it before the caller listens;
 * callers that cannot retry say so in their error.)
 */
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
