/**
 * What the index holds for each article, read from the content data store the server itself reads
 * (Astro's data layer: the `articles` collection, gated articles already cut at the members-only
 * marker by src/articles/loader.ts, and `memberBodies`, their full text).
 */
import { parse as parseDevalue } from 'devalue';
import { isAccessLevel, isGated, type AccessLevel } from '../gate/membership';
import { MARKER_FLAG, splitRendered } from '../articles/marker';
import { isPublished } from '../articles/publish';
import { htmlToText, plainText } from './text';

/** An article's fields the index and its results share (results add the row id). */
export interface ArticleFields {
  slug: string;
  access: AccessLevel;
  title: string;
  description: string;
  tags: string[];
  pubDate: Date;
}

export interface SearchRecord extends ArticleFields {
  /** What anyone may read: the whole body of a public article, the preview of a gated one. */
  publicText: string;
  /** The members-only part of a gated article ('' for public ones). */
  memberText: string;
}

interface StoredEntry {
  id: string;
  data: Record<string, unknown>;
  rendered?: { html?: string; metadata?: Record<string, unknown> };
}

type Store = Map<string, Map<string, StoredEntry>>;

/** Astro's data store file (devalue-serialised maps of collections). */
export function parseDataStore(text: string): Store {
  const store = parseDevalue(text) as unknown;
  if (!(store instanceof Map)) throw new Error('search index: the content data store is not a map of collections');
  return store as Store;
}

function field(entry: StoredEntry, name: string): string {
  const value = entry.data[name];
  return typeof value === 'string' ? plainText(value) : '';
}

/** Published articles as index records (drafts and scheduled ones are not in the store; checked again). */
export function searchRecords(store: Store, now = new Date()): SearchRecord[] {
  const previews = store.get('articles') ?? new Map<string, StoredEntry>();
  const bodies = store.get('memberBodies') ?? new Map<string, StoredEntry>();
  const records: SearchRecord[] = [];
  for (const entry of previews.values()) {
    const { access, pubDate, draft, tags } = entry.data;
    if (!isAccessLevel(access) || !(pubDate instanceof Date) || typeof draft !== 'boolean') {
      throw new Error(`search index: article "${entry.id}" has no readable access, pubDate or draft field`);
    }
    if (!isPublished({ draft, pubDate }, now)) continue;
    let memberText = '';
    if (isGated(access)) {
      const full = bodies.get(entry.id)?.rendered?.html;
      if (full === undefined) throw new Error(`search index: no members-only body stored for "${entry.id}"`);
      // Cut where the loader cut the preview (its marker flag); without a marker all of it is members-only.
      memberText = htmlToText(splitRendered(full, entry.rendered?.metadata?.[MARKER_FLAG] === true).membersOnly);
    }
    records.push({
      slug: entry.id,
      access,
      title: field(entry, 'title'),
      description: field(entry, 'description'),
      tags: Array.isArray(tags) ? tags.filter((tag): tag is string => typeof tag === 'string').map(plainText) : [],
      pubDate,
      publicText: htmlToText(entry.rendered?.html ?? ''),
      memberText,
    });
  }
  return records;
}
