/**
 * What the RSS feed says about each article. Gated articles are described only by metadata (title,
 * description, link, date): their body belongs behind the access check, and feeds are public and cached.
 * Public articles are also summarised by their description, so every item has the same shape.
 */
import type { AccessLevel } from '../gate/membership';
import { articlePath } from './paths';

export interface FeedSource {
  id: string;
  data: {
    title: string;
    description: string;
    pubDate: Date;
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
}

export function toFeedItem(entry: FeedSource): FeedItem {
  const { title, description, pubDate, tags } = entry.data;
  return { title, description, link: articlePath(entry), pubDate, categories: [...tags] };
}
