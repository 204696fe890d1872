/**
 * The card images of the process for the card endpoints (src/pages/og/). The Gatepost server starts
 * them once, with its drawing thread's program beside it in dist/server (src/server/main.ts), and
 * passes them in with each request's locals (src/server/app.ts). Only a request that arrives without
 * them, which happens under `astro dev` (no Gatepost server), gets this process's own, drawing with
 * ./draw-worker.ts from the project's sources (`astro dev` runs in the project).
 */
import { join } from 'node:path';
import { startCardImages, type CardImages } from './images';
import { readCardSettings, type CardSettings } from './settings';

let own: CardImages | undefined;

function ownSettings(): CardSettings {
  try {
    return readCardSettings(process.env);
  } catch (error) {
    console.error(`[gatepost] ${(error as Error).message}; using the default`);
    return readCardSettings({ ...process.env, GATEPOST_CARD_QUEUE_LIMIT: undefined });
  }
}

/** The card images for this request. */
export function cardImagesOf(locals: App.Locals): CardImages {
  return (locals.cards ??= own ??=
    startCardImages(ownSettings(), join(process.cwd(), 'src', 'social', 'draw-worker.ts')).images);
}
