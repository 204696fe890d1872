import { sortNewestFirst, type Dated } from './sorting';

export interface Tagged extends Dated {
  data: Dated['data'] & { tags: readonly string[] };
}

export interface TagGroup<T> {
  tag: string;
  /** Articles with this tag, newest first. */
  entries: T[];
}

/** Every tag with its articles, alphabetically by tag. Duplicate tags on one article count once. */
export function groupByTag<T extends Tagged>(entries: readonly T[]): TagGroup<T>[] {
  const groups = new Map<string, T[]>();
  for (const entry of entries) {
    for (const tag of new Set(entry.data.tags)) {
      const list = groups.get(tag) ?? [];
      list.push(entry);
      groups.set(tag, list);
    }
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([tag, list]) => ({ tag, entries: sortNewestFirst(list) }));
}

/**
 * Articles to read next after `article`: those sharing the most tags with it, newest first among
 * equals, never the article itself; at most `limit`. Nothing when it has no tags.
 */
export function relatedByTag<T extends Tagged>(article: Tagged, entries: readonly T[], limit = 3): T[] {
  const tags = new Set(article.data.tags);
  if (tags.size === 0) return [];
  const scored = entries
    .filter((entry) => entry.id !== article.id)
    .map((entry) => ({ entry, shared: new Set(entry.data.tags.filter((tag) => tags.has(tag))).size }))
    .filter(({ shared }) => shared > 0);
  const newest = sortNewestFirst(scored.map(({ entry }) => entry));
  const rank = new Map(newest.map((entry, index) => [entry, index]));
  return scored
    .sort((a, b) => b.shared - a.shared || rank.get(a.entry)! - rank.get(b.entry)!)
    .slice(0, limit)
    .map(({ entry }) => entry);
}
