/**
 * The site's feeds: which articles they list and what each item says, in RSS 2.0 and Atom 1.0. The public
 * feed (src/pages/rss.xml.ts, prerendered and shared by caches) describes the newest articles
 * (`feedArticles`) by metadata only (title, description, link, date). Private feeds (src/feeds) add each
 * item's text as one member's access allows, decided per request; the list, order, links and dates are
 * the same for both.
 */
import { getRssString, type RSSOptions } from '@astrojs/rss';
import XMLBuilder from 'fast-xml-builder';
import type { AccessLevel } from '../gate/membership';
import { articlePath } from './paths';
import { SITE } from './settings';

export interface FeedSource {
  id: string;
  data: {
    title: string;
    description: string;
    pubDate: Date;
    updatedDate?: Date | undefined;
    access: AccessLevel;
    tags: readonly string[];
  };
}

export interface FeedItem {
  title: string;
  description: string;
  link: string;
  pubDate: Date;
  categories: string[];
  /** When the article last changed (Atom's `updated`); the publication date when never. */
  updatedDate?: Date;
  /** The item's HTML: only in private feeds, decided per member (src/feeds/items.ts). */
  content?: string;
}

/**
 * The articles a feed lists: the newest `SITE.feedItems` of `published` (newest first, as
 * `getPublishedArticles()` returns them). The public feed and private feeds list the same ones.
 */
export function feedArticles<T extends FeedSource>(published: readonly T[]): T[] {
  return published.slice(0, SITE.feedItems);
}

export function toFeedItem(entry: FeedSource): FeedItem {
  const { title, description, pubDate, updatedDate, tags } = entry.data;
  return {
    title,
    description,
    link: articlePath(entry),
    pubDate,
    categories: [...tags],
    ...(updatedDate ? { updatedDate } : {}),
  };
}

export interface FeedChannel {
  /** The site's origin: links in the feed are absolute against it. */
  site: string;
  /** The feed's own absolute URL (Atom's `self` link and id). */
  self?: string;
  title?: string;
}

/** @astrojs/rss's options for the channel and items: the public feed and private RSS feeds alike. */
export function rssOptions(channel: FeedChannel, items: readonly FeedItem[]): RSSOptions {
  return {
    title: channel.title ?? SITE.name,
    description: SITE.description,
    site: channel.site,
    items: items.map(({ updatedDate: _updated, ...item }) => item),
    customData: `<language>${SITE.locale}</language>`,
  };
}

/** The feed as RSS 2.0 (items' text, when present, as `content:encoded`). */
export function renderRss(channel: FeedChannel, items: readonly FeedItem[]): Promise<string> {
  return getRssString(rssOptions(channel, items));
}

const atomBuilder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: true });

/** The feed as Atom 1.0 (RFC 4287): absolute links, the article URL as each entry's id. */
export function renderAtom(channel: FeedChannel, items: readonly FeedItem[]): string {
  const absolute = (path: string) => new URL(path, channel.site).href;
  const updated = items.reduce(
    (latest, item) => Math.max(latest, (item.updatedDate ?? item.pubDate).getTime()),
    new Date(0).getTime(),
  );
  const feed = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    feed: {
      '@_xmlns': 'http://www.w3.org/2005/Atom',
      '@_xml:lang': SITE.locale,
      id: channel.self ?? absolute('/'),
      title: channel.title ?? SITE.name,
      subtitle: SITE.description,
      updated: new Date(updated).toISOString(),
      author: { name: SITE.name },
      link: [
        { '@_rel': 'alternate', '@_type': 'text/html', '@_href': absolute('/') },
        ...(channel.self ? [{ '@_rel': 'self', '@_type': 'application/atom+xml', '@_href': channel.self }] : []),
      ],
      entry: items.map((item) => ({
        id: absolute(item.link),
        title: item.title,
        link: { '@_rel': 'alternate', '@_type': 'text/html', '@_href': absolute(item.link) },
        published: item.pubDate.toISOString(),
        updated: (item.updatedDate ?? item.pubDate).toISOString(),
        summary: item.description,
        category: item.categories.map((term) => ({ '@_term': term })),
        ...(item.content === undefined ? {} : { content: { '@_type': 'html', '#text': item.content } }),
      })),
    },
  };
  return atomBuilder.build(feed) as string;
}
