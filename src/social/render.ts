/**
 * A social card's image (drawn by ./draw.ts), kept in `.cache/og/` under its content key (./card.ts), so a
 * build redraws only cards whose text changed. Build-time only: the production server never draws a card.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cardKey, type CardContent } from './card';
import { drawCard } from './draw';

/** Where drawn cards are kept between builds (beside Astro's own cache). */
export const CARD_CACHE_DIR = join(process.cwd(), '.cache', 'og');

/** The card as a PNG: from the cache when this content was drawn before, else drawn and kept. */
export async function cardImage(card: CardContent, cacheDir = CARD_CACHE_DIR): Promise<Buffer> {
  const file = join(cacheDir, `${cardKey(card)}.png`);
  try {
    return readFileSync(file);
  } catch {
    // Not drawn yet.
  }
  const png = await drawCard(card);
  mkdirSync(cacheDir, { recursive: true });
  // Written aside and renamed: two builds at once never read half a file.
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, png);
  renameSync(partial, file);
  return png;
}
