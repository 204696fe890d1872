/**
 * One drawing thread of ./predraw.ts: draws each card it is sent and posts the PNG back. Runs as it is
 * (Node strips the types), so it imports only ./draw.ts and packages.
 */
import { parentPort } from 'node:worker_threads';
import type { CardContent } from './card.ts';
import { drawCard } from './draw.ts';

parentPort!.on('message', async (card: CardContent) => {
  try {
    const png = await drawCard(card);
    parentPort!.postMessage({ png });
  } catch (error) {
    parentPort!.postMessage({ error: (error as Error).message });
  }
});
