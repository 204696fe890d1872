/**
 * GET/HEAD /feeds/<token>/rss.xml and /feeds/<token>/atom.xml (src/pages/feeds): one member's feed, with
 * no cookie. The token must verify (src/feeds/token.ts) and carry the member's current feed version, and
 * the member must still exist; anything else is a bare 404, the same for every failure. Each item's text
 * comes from `decideAccess` with the tier the store holds at this fetch. Nobody may keep the answer
 * (`private, no-store`), index it, or learn the URL from a Referer. Each fetch's address is counted, as a
 * keyed hash, toward the per-day flag editors see.
 */
import { feedReader, recordFetch } from '../members/queries/private-feeds';
import { isStoreUnavailable } from '../members/store';
import { renderAtom, renderRss } from '../site/feed';
import { privateFeedPath } from '../site/paths';
import { SITE } from '../site/settings';
import { privateFeedItems } from './items';
import { feedKeys, feedsOff, siteOrigin } from './server';
import { hashAddress, verifyFeedToken } from './token';

export type FeedFormat = 'rss' | 'atom';

const CONTENT_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
};

/**
 * Headers of every answer on a feed URL, found or not (`Cache-Control: private, no-store` comes from the
 * one cache policy, src/middleware.ts, as for every rendered response).
 */
export const PRIVATE_FEED_HEADERS = {
  'X-Robots-Tag': 'noindex',
  'Referrer-Policy': 'no-referrer',
} as const;

const plain = (status: number, body: string, headers: Record<string, string> = {}) =>
  new Response(body, {
    status,
    headers: { ...PRIVATE_FEED_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...headers },
  });

const notFound = () => plain(404, 'Not found');

/** The answer to one request for a private feed. */
export async function privateFeedResponse(
  token: string | undefined,
  format: FeedFormat,
  locals: App.Locals,
): Promise<Response> {
  if (feedsOff() !== null || !feedKeys.enabled) return notFound();
  const claim = verifyFeedToken(feedKeys.keys, token);
  if (!claim) return notFound();
  const store = locals.members;
  const unavailable = () =>
    plain(503, 'This feed cannot be read right now; try again in a few minutes.', { 'Retry-After': '60' });
  if (!store) return unavailable();
  try {
    const tier = await feedReader(store, claim.memberId, claim.version);
    if (!tier) return notFound();
    if (locals.clientAddress)
      await recordFetch(store, claim.memberId, hashAddress(feedKeys.keys, locals.clientAddress), Date.now());
    const items = await privateFeedItems(claim.memberId, tier, siteOrigin);
    const channel = {
      site: siteOrigin,
      self: new URL(privateFeedPath(token!, format), siteOrigin).href,
      title: `${SITE.name} (your private feed)`,
    };
    const body = format === 'rss' ? await renderRss(channel, items) : renderAtom(channel, items);
    return new Response(body, { headers: { ...PRIVATE_FEED_HEADERS, 'Content-Type': CONTENT_TYPES[format] } });
  } catch (error) {
    if (isStoreUnavailable(error)) return unavailable();
    throw error;
  }
}
