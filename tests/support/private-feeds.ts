/**
 * Private feeds for tests: the key the test servers sign feed tokens with, members delivered by Clerk's
 * signed webhooks, tokens for them, and both feed formats parsed with fast-xml-parser into the parts a
 * reader sees (links, ids, dates, text).
 */
import { XMLParser } from 'fast-xml-parser';
import { SyntaxValidator } from 'fast-xml-validator';
import { createFeedToken, feedKeysFromEnv, type FeedKeys } from '../../src/feeds/token';
import { clerkEvent, svixHeaders, userJson } from './svix';

export const FEED_KEY = 'feed-integration-key-0123456789-abcdefghij';
export const feedKeys: FeedKeys = (() => {
  const config = feedKeysFromEnv({ GATEPOST_FEED_KEY: FEED_KEY });
  if (!config.enabled) throw new Error(config.reason);
  return config.keys;
})();

export const feedToken = (memberId: string, version: number) => createFeedToken(feedKeys, memberId, version);

/** Sends one Clerk event to the server's webhook route, signed as Clerk's servers sign it. */
export async function deliver(serverUrl: string, secret: string, type: string, data: Record<string, unknown>) {
  const body = JSON.stringify(clerkEvent(type, data));
  const response = await fetch(`${serverUrl}/api/webhooks/clerk`, {
    method: 'POST',
    headers: svixHeaders(secret, body),
    body,
  });
  if (response.status !== 200) throw new Error(`webhook ${type}: ${response.status} ${await response.text()}`);
}

/** A member created (or changed) by webhook, with `tier` in their public metadata (none: members). */
export const memberEvent = (id: string, tier?: 'premium', updatedAt = Date.now()) =>
  userJson(id, { publicMetadata: tier ? { tier } : {}, updatedAt });

export interface ParsedItem {
  title: string;
  link: string;
  id: string;
  date: Date;
  content: string;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  isArray: (name) => ['item', 'entry', 'link', 'category'].includes(name),
});
/** The document parsed, after fast-xml-validator's well-formedness check (throws on malformed XML). */
function parseChecked(xml: string): unknown {
  try {
    SyntaxValidator.validate(xml);
  } catch (error) {
    throw new Error(`malformed XML: ${(error as Error).message}`, { cause: error });
  }
  return parser.parse(xml);
}
const text = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : typeof value === 'object' && value !== null
      ? String((value as { '#text'?: unknown })['#text'] ?? '')
      : String(value ?? '');

/** An RSS 2.0 feed's items; throws when it is not one. */
export function parseRss(xml: string): { title: string; items: ParsedItem[] } {
  const doc = parseChecked(xml) as { rss?: { '@_version'?: string; channel?: Record<string, unknown> } };
  if (doc.rss?.['@_version'] !== '2.0' || !doc.rss.channel) throw new Error('not an RSS 2.0 feed');
  const channel = doc.rss.channel as { title: string; item?: Record<string, unknown>[] };
  return {
    title: channel.title,
    items: (channel.item ?? []).map((item) => ({
      title: text(item.title),
      link: text((item.link as unknown[])[0]),
      id: text(item.guid),
      date: new Date(text(item.pubDate)),
      content: text(item['content:encoded']),
    })),
  };
}

/** An Atom 1.0 feed's entries; throws when it is not one. */
export function parseAtom(xml: string): { title: string; self: string; items: ParsedItem[] } {
  const doc = parseChecked(xml) as { feed?: Record<string, unknown> };
  const feed = doc.feed as
    | {
        '@_xmlns'?: string;
        title: string;
        link: { '@_rel': string; '@_href': string }[];
        entry?: Record<string, unknown>[];
      }
    | undefined;
  if (feed?.['@_xmlns'] !== 'http://www.w3.org/2005/Atom') throw new Error('not an Atom feed');
  return {
    title: text(feed.title),
    self: feed.link.find((l) => l['@_rel'] === 'self')?.['@_href'] ?? '',
    items: (feed.entry ?? []).map((entry) => ({
      title: text(entry.title),
      link: (entry.link as { '@_href': string }[])[0]!['@_href'],
      id: text(entry.id),
      date: new Date(text(entry.updated)),
      content: text(entry.content),
    })),
  };
}
