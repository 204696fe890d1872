export interface Dated {
  id: string;
  data: { pubDate: Date };
}

/** Newest first; ties broken by slug so the order never depends on the file system. */
export function compareNewestFirst(a: Dated, b: Dated): number {
  return b.data.pubDate.getTime() - a.data.pubDate.getTime() || a.id.localeCompare(b.id);
}

export function sortNewestFirst<T extends Dated>(entries: readonly T[]): T[] {
  return [...entries].sort(compareNewestFirst);
}
