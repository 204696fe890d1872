/**
 * The HTTP answer for a social card (src/pages/og/): the PNG with an ETag from its content key, 304
 * when the client has that one, 503 with Retry-After when the drawing queue is full. Its Cache-Control
 * comes from the one cache policy (the `card` class, src/middleware.ts), never from here.
 */
import { cardKey, type CardContent } from './card';
import type { CardImages } from './images';
import { isCardsBusy } from './pool';

/** Seconds a client refused by a full drawing queue is asked to wait. */
const RETRY_AFTER_SECONDS = 5;

const etagOf = (key: string) => `"${key}"`;

/** Whether an If-None-Match header names `etag` (weak or strong), or is `*`. */
function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const value = tag.trim();
    return value === '*' || value === etag || value === `W/${etag}`;
  });
}

/** The response to a request for `card`: drawn or read through `images`. */
export async function cardResponse(request: Request, card: CardContent, images: CardImages): Promise<Response> {
  const etag = etagOf(cardKey(card));
  // The client already has this content: nothing to read or draw.
  if (matches(request.headers.get('if-none-match'), etag)) {
    return new Response(null, { status: 304, headers: { ETag: etag } });
  }
  try {
    const { png } = await images.image(card);
    return new Response(new Uint8Array(png.buffer, png.byteOffset, png.byteLength) as Uint8Array<ArrayBuffer>, {
      headers: { 'Content-Type': 'image/png', 'Content-Length': String(png.length), ETag: etag },
    });
  } catch (error) {
    if (!isCardsBusy(error)) throw error;
    return new Response('Too many social cards are being drawn; try again shortly.\n', {
      status: 503,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': String(RETRY_AFTER_SECONDS) },
    });
  }
}

/** The answer for a card nobody may see: no such article or tag, a draft, a scheduled article. */
export const notFound = (): Response =>
  new Response('No such social card.\n', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
