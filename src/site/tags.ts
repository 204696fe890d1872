import { compareNewestFirst, sortNewestFirst, type Dated } from './sorting';

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
 * One pass keeping the best `limit` found so far: a build asks this for every article of the site.
 */
export function relatedByTag<T extends Tagged>(article: Tagged, entries: readonly T[], limit = 3): T[] {
  const tags = new Set(article.data.tags);
  if (tags.size === 0 || limit <= 0) return [];
  const best: { entry: T; shared: number }[] = [];
  const before = (a: { entry: T; shared: number }, b: { entry: T; shared: number }) =>
    a.shared !== b.shared ? a.shared > b.shared : compareNewestFirst(a.entry, b.entry) < 0;
  for (const entry of entries) {
    if (entry.id === article.id) continue;
    const own = entry.data.tags;
    let shared = 0;
    // Each shared tag once, however often the entry lists it.
    for (let i = 0; i < own.length; i++) if (tags.has(own[i]!) && own.indexOf(own[i]!) === i) shared++;
    if (shared === 0) continue;
    const candidate = { entry, shared };
    if (best.length === limit && !before(candidate, best[limit - 1]!)) continue;
    let at = best.length;
    while (at > 0 && before(candidate, best[at - 1]!)) at--;
    best.splice(at, 0, candidate);
    if (best.length > limit) best.pop();
  }
  return best.map(({ entry }) => entry);
}
