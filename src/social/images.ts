/**
 * Social card images as the server serves them: kept on disk under their content key (./card.ts), so a
 * card is drawn (on ./pool.ts's thread) the first time it is asked for and read from disk afterwards,
 * by every process and release sharing the directory. Requests for the same card while it is being
 * drawn share that one drawing. A directory that cannot be written costs a drawing per request and
 * one warning, never a failed request.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cardKey, type CardContent } from './card';
import { DrawingPool } from './pool';
import type { CardSettings } from './settings';

export interface CardImage {
  png: Buffer;
  /** The card's content key: its file name, and its ETag. */
  key: string;
  /** Whether it was drawn for this request (or one it shared), rather than read from disk. */
  drawn: boolean;
}

export interface CardImagesOptions {
  cacheDir: string;
  pool: Pick<DrawingPool, 'draw'>;
  /** Where the one warning about an unwritable directory goes. */
  warn?: (message: string) => void;
}

export class CardImages {
  readonly cacheDir: string;
  readonly #pool: Pick<DrawingPool, 'draw'>;
  readonly #warn: (message: string) => void;
  readonly #drawing = new Map<string, Promise<Buffer>>();
  #warned = false;

  constructor({ cacheDir, pool, warn = (message) => console.warn(message) }: CardImagesOptions) {
    this.cacheDir = cacheDir;
    this.#pool = pool;
    this.#warn = warn;
  }

  /** The card as a PNG: from disk when this content was drawn before, else drawn now and kept. */
  async image(card: CardContent): Promise<CardImage> {
    const key = cardKey(card);
    const file = join(this.cacheDir, `${key}.png`);
    try {
      return { png: await readFile(file), key, drawn: false };
    } catch {
      // Not drawn yet (or the directory is unreadable: drawn then).
    }
    let drawing = this.#drawing.get(key);
    if (!drawing) {
      drawing = this.#drawAndKeep(card, file).finally(() => this.#drawing.delete(key));
      this.#drawing.set(key, drawing);
    }
    return { png: await drawing, key, drawn: true };
  }

  async #drawAndKeep(card: CardContent, file: string): Promise<Buffer> {
    const png = await this.#pool.draw(card);
    // Written aside and renamed: another process (or release) reading the directory never sees half a file.
    const partial = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      await mkdir(this.cacheDir, { recursive: true });
      await writeFile(partial, png);
      await rename(partial, file);
    } catch (error) {
      await rm(partial, { force: true }).catch(() => undefined);
      if (!this.#warned) {
        this.#warned = true;
        this.#warn(
          `[gatepost] social cards cannot be kept in ${this.cacheDir} (${(error as Error).message}); each card is drawn again on every request until GATEPOST_CARD_CACHE_DIR names a writable directory`,
        );
      }
    }
    return png;
  }
}

/** The card images of one process: its drawing pool (thread program `workerFile`) and the settings' directory. */
export function startCardImages(settings: CardSettings, workerFile: string | URL, warn?: (message: string) => void) {
  const pool = new DrawingPool({ workerFile, maxWaiting: settings.maxWaiting });
  return { images: new CardImages({ cacheDir: settings.cacheDir, pool, ...(warn ? { warn } : {}) }), pool };
}
