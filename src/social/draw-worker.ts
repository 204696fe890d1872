/**
 * The drawing thread of ./pool.ts: draws each card it is sent and posts the PNG back under the job's
 * id. Runs as it is under `astro dev` and the tests (Node strips the types), so it imports only
 * ./draw.ts and packages; the build bundles it into dist/server/card-worker.mjs for the server.
 */
import { parentPort } from 'node:worker_threads';
import type { CardContent } from './card.ts';
import { drawCard } from './draw.ts';

parentPort!.on('message', async ({ id, card }: { id: number; card: CardContent }) => {
  try {
    const png = await drawCard(card);
    parentPort!.postMessage({ id, png });
  } catch (error) {
    parentPort!.postMessage({ id, error: (error as Error).message });
  }
});
