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
