/**
 * Which `/_image` requests may reach Astro's image service. Astro's endpoint answers 500 to values
 * sharp refuses (negative widths, unknown formats, unparsable colours) and to hrefs the file system
 * cannot open; those are the reader's mistakes, so they are refused here first, with a reason.
 * Plain TypeScript: the endpoint (./endpoint.ts) is the only caller.
 */

/** The query parameters Astro's local image service reads (astro/assets/services/service.js parseURL). */
const PARAMS = new Set(['href', 'w', 'h', 'q', 'f', 'fit', 'position', 'background']);
const FORMATS = new Set(['avif', 'webp', 'png', 'jpeg', 'jpg', 'gif', 'svg']);
const QUALITY_PRESETS = new Set(['low', 'mid', 'high', 'max']);
/** CSS object-fit values Astro maps onto sharp's fits, plus sharp's own names. */
const FITS = new Set(['fill', 'contain', 'cover', 'none', 'scale-down', 'inside', 'outside']);
/** sharp's gravities and strategies, and the CSS keyword pairs Astro passes through. */
const POSITIONS = new Set([
  'top',
  'right top',
  'right',
  'right bottom',
  'bottom',
  'left bottom',
  'left',
  'left top',
  'center',
  'centre',
  'north',
  'northeast',
  'east',
  'southeast',
  'south',
  'southwest',
  'west',
  'northwest',
  'entropy',
  'attention',
]);
/** Hex or numeric rgb()/rgba(): the colour forms sharp always parses. */
const BACKGROUND =
  /^(#[0-9a-f]{3,4}|#[0-9a-f]{6}|#[0-9a-f]{8}|rgba?\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*(,\s*(0|1|0?\.\d+)\s*)?\))$/i;
/** Longest accepted href; build assets are far shorter and a file name may not exceed 255 bytes. */
export const MAX_HREF_LENGTH = 256;
/** Largest width or height; sharp never enlarges, so this only bounds what a request may ask for. */
export const MAX_DIMENSION = 8192;

/** `null` when the request may go to Astro's image service, else why it is refused (a 400). */
export function imageRequestProblem(params: URLSearchParams): string | null {
  for (const name of new Set(params.keys())) {
    if (!PARAMS.has(name)) return `unknown parameter "${name}"`;
    if (params.getAll(name).length > 1) return `parameter "${name}" given more than once`;
  }
  const href = params.get('href');
  if (!href) return 'missing href';
  if (href.length > MAX_HREF_LENGTH) return `href longer than ${MAX_HREF_LENGTH} characters`;
  if (!/^https?:\/\//.test(href)) {
    // A path on this site: Astro's endpoint reads it from the build's client folder.
    if (!href.startsWith('/') || href.startsWith('//')) return 'href must be a path on this site';
    if (/[\\\0?#]/.test(href) || href.split('/').some((s) => s === '..' || s === '.')) {
      return 'href must be a plain path';
    }
  }
  for (const name of ['w', 'h'] as const) {
    const value = params.get(name);
    if (value === null) continue;
    if (!/^[1-9]\d*$/.test(value) || Number(value) > MAX_DIMENSION) {
      return `${name} must be a whole number from 1 to ${MAX_DIMENSION}`;
    }
  }
  const quality = params.get('q');
  if (quality !== null && !QUALITY_PRESETS.has(quality)) {
    if (!/^\d{1,3}$/.test(quality) || Number(quality) < 1 || Number(quality) > 100) {
      return 'q must be a whole number from 1 to 100, or low, mid, high or max';
    }
  }
  const format = params.get('f');
  if (format !== null && !FORMATS.has(format)) return `f must be one of ${[...FORMATS].join(', ')}`;
  const fit = params.get('fit');
  if (fit !== null && !FITS.has(fit)) return `fit must be one of ${[...FITS].join(', ')}`;
  const position = params.get('position');
  if (position !== null && !POSITIONS.has(position)) return 'position is not a position sharp knows';
  const background = params.get('background');
  if (background !== null && !BACKGROUND.test(background)) return 'background must be a hex or rgb() colour';
  return null;
}
