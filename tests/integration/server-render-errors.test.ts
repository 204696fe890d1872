/**
 * A page that fails after its headers were sent: Astro's handler writes a last chunk and destroys the
 * connection in that write's callback. Behind the server's compression the client must see the response
 * end (an error) at once, not wait for its own timeout. Gatepost's app, in process, with a stand-in handler
 * that fails the way Astro's does.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/server/app';

/** What @astrojs/node's writeResponse does when the page's stream throws mid-render. */
function failingMidStream(_req: IncomingMessage, res: ServerResponse) {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.write('<!doctype html><p>'.padEnd(4096, ' '));
  setTimeout(() => res.write('Internal server error', () => res.destroy()), 20);
}

let app: App;
let base: string;

beforeAll(async () => {
  const clientDir = mkdtempSync(join(tmpdir(), 'gatepost-client-'));
  writeFileSync(join(clientDir, '404.html'), 'not found');
  app = await createApp({
    clientDir,
    astroHandler: failingMidStream,
    trustProxy: false,
    scriptHashes: [],
    logger: false,
  });
  base = await app.fastify.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app.fastify.close();
});

describe('a render that fails mid-stream', () => {
  for (const encoding of ['', 'gzip', 'br']) {
    it(`ends the response at once (Accept-Encoding: ${encoding || 'none'})`, async () => {
      const outcome = await fetch(`${base}/members/broken/`, {
        headers: { 'accept-encoding': encoding },
        signal: AbortSignal.timeout(10_000),
      }).then(
        (response) =>
          response.text().then(
            () => 'complete',
            (error: Error) => error.name,
          ),
        (error: Error) => error.name,
      );
      // The connection is cut: the body never completes, and nothing waits for a timeout.
      expect(outcome).not.toBe('complete');
      expect(outcome).not.toBe('TimeoutError');
    });
  }
});
