/**
 * The images `/_image` may transform: raster images the build wrote to `dist/client/_astro/` (Astro puts
 * every image it processes there). Anything else on the site (`/favicon.svg`, `/robots.txt`, a page's
 * `index.html`) is not an image source, and the endpoint answers 404 instead of letting sharp fail on it.
 */
import { imageMetadata } from 'astro/assets/utils';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the build puts the files it emits, and so every image it processed. */
export const BUILT_ASSETS = '/_astro/';
const RASTER_EXTENSION = /\.(png|jpe?g|webp|avif|gif|tiff?)$/i;
/** What the file's own bytes must say it is (image-size's names): formats sharp decodes. */
const RASTER_FORMATS = new Set(['png', 'jpg', 'webp', 'avif', 'gif', 'tiff']);

export interface SourceImage {
  buffer: Buffer;
  width: number;
  height: number;
}

/** dist/client, seen from any server chunk (dist/server or dist/server/chunks), as the search index is found. */
function clientDir(): string | null {
  for (const candidate of ['../client/', '../../client/']) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(join(path, BUILT_ASSETS))) return path;
  }
  console.error('[gatepost] /_image: no dist/client next to the server; every image request is a 404');
  return null;
}

let root: string | null | undefined;

/** True when `href` (already checked by `imageRequestProblem`) names a built raster image by its path. */
export function isBuiltImagePath(href: string): boolean {
  return href.startsWith(BUILT_ASSETS) && !href.slice(BUILT_ASSETS.length).includes('/') && RASTER_EXTENSION.test(href);
}

/** The built raster image at `href` with its size, or null when there is none. */
export async function builtImage(href: string): Promise<SourceImage | null> {
  if (!isBuiltImagePath(href)) return null;
  if (root === undefined) root = clientDir();
  if (root === null) return null;
  let buffer: Buffer;
  try {
    buffer = await readFile(join(root, href));
  } catch {
    return null;
  }
  try {
    const { width, height, format } = await imageMetadata(buffer, href);
    return RASTER_FORMATS.has(format) ? { buffer, width, height } : null;
  } catch {
    // Not an image at all, whatever its name says.
    return null;
  }
}
