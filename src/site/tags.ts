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
 * `entries` newest first, for each tag the positions (in that order) of the entries that have it, and
 * scratch space to count shared tags per position.
 */
interface TagIndex<T> {
  ordered: T[];
  positions: Map<string, number[]>;
  counts: Uint8Array;
  /** Which call last counted at each position (`counts` there is stale otherwise). */
  counted: Uint32Array;
  calls: number;
}

const indexes = new WeakMap<readonly Tagged[], TagIndex<Tagged>>();

function tagIndex<T extends Tagged>(entries: readonly T[]): TagIndex<T> {
  let index = indexes.get(entries) as TagIndex<T> | undefined;
  if (!index) {
    const ordered = sortNewestFirst(entries);
    const positions = new Map<string, number[]>();
    ordered.forEach((entry, position) => {
      for (const tag of new Set(entry.data.tags)) {
        const list = positions.get(tag);
        if (list) list.push(position);
        else positions.set(tag, [position]);
      }
    });
    const size = ordered.length;
    index = { ordered, positions, counts: new Uint8Array(size), counted: new Uint32Array(size), calls: 0 };
    indexes.set(entries, index as TagIndex<Tagged>);
  }
  return index;
}

/**
 * Articles to read next after `article`: those sharing the most tags with it, newest first among
 * equals, never the article itself; at most `limit`. Nothing when it has no tags.
 *
 * A build asks this for every article of the site, always with the same `entries`: they are indexed by
 * tag once (kept while that array lives), and each call counts shared tags only over the articles that
 * have one of the article's tags, rather than comparing it with every article.
 */
export function relatedByTag<T extends Tagged>(article: Tagged, entries: readonly T[], limit = 3): T[] {
  const tags = new Set(article.data.tags);
  if (tags.size === 0 || limit <= 0) return [];
  const index = tagIndex(entries);
  const { ordered, positions, counts, counted } = index;
  const call = ++index.calls;
  const touched: number[] = [];
  for (const tag of tags) {
    for (const position of positions.get(tag) ?? []) {
      if (counted[position] !== call) {
        counted[position] = call;
        counts[position] = 0;
        touched.push(position);
      }
      // At most 255 tags are counted; more would not change which articles share the most.
      if (counts[position]! < 255) counts[position]!++;
    }
  }
  // The best `limit` so far: most shared tags first, then the earlier position (newer, or the smaller
  // slug on the same date). One pass, without sorting every candidate.
  const best: number[] = [];
  for (const position of touched) {
    const count = counts[position]!;
    if (best.length === limit) {
      const last = best[limit - 1]!;
      if (count < counts[last]! || (count === counts[last] && position > last)) continue;
    }
    if (ordered[position]!.id === article.id) continue;
    let at = best.length;
    while (at > 0 && (count > counts[best[at - 1]!]! || (count === counts[best[at - 1]!] && position < best[at - 1]!)))
      at--;
    best.splice(at, 0, position);
    if (best.length > limit) best.pop();
  }
  return best.map((position) => ordered[position]!);
}
