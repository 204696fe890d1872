/**
 * Astro uses the `locals` object the server hands its handler as the request's own: the viewer, Clerk's
 * auth and the page's cache class are written into it. Two requests must never share one, or a reader's
 * page could be decided with another reader's viewer. Gatepost's app, in process, with a stand-in handler.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MembersStore } from '../../src/members/store';
import { createApp, type App } from '../../src/server/app';

const store = { kind: 'stand-in' } as unknown as MembersStore;
const seen: Record<string, unknown>[] = [];

/** Records the locals it gets, and writes into them as Astro's middleware does. */
function recordingHandler(req: IncomingMessage, res: ServerResponse, _next?: unknown, locals?: object) {
  const own = locals as Record<string, unknown>;
  seen.push(own);
  const before = own.viewer;
  own.viewer = req.url;
  res.setHeader('content-type', 'text/plain');
  res.end(JSON.stringify({ before: before ?? null, members: own.members === store }));
}

let app: App;
let base: string;

beforeAll(async () => {
  const clientDir = mkdtempSync(join(tmpdir(), 'gatepost-client-'));
  writeFileSync(join(clientDir, '404.html'), 'not found');
  app = await createApp({
    clientDir,
    astroHandler: recordingHandler,
    trustProxy: false,
    scriptHashes: [],
    logger: false,
    members: store,
  });
  base = await app.fastify.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app.fastify.close();
});

describe('locals handed to Astro', () => {
  it('are a new object per request, with the members store, and nothing of the request before', async () => {
    for (const path of ['/account/', '/search/?q=a', '/account/']) {
      const body = (await (await fetch(`${base}${path}`)).json()) as { before: unknown; members: boolean };
      expect(body, path).toEqual({ before: null, members: true });
    }
    expect(new Set(seen).size).toBe(3);
  });
});
