/**
 * Which page links a pagination bar shows. Listing every page makes each list page grow with the size of
 * the archive (docs/performance.md), so the bar shows the first and last pages, the current page and its
 * neighbours, and a gap where pages are left out.
 */
export type PageItem = number | 'gap';

/**
 * Page numbers to link, in order, with `'gap'` where pages are skipped. A gap never hides a single
 * page: that page is shown instead, since a "…" would take as much room.
 */
export function pageWindow(currentPage: number, lastPage: number, neighbours = 2): PageItem[] {
  if (!Number.isInteger(lastPage) || lastPage < 1) return [];
  const current = Math.min(Math.max(1, Math.trunc(currentPage) || 1), lastPage);
  const shown = new Set<number>([1, lastPage]);
  for (let page = current - neighbours; page <= current + neighbours; page++) {
    if (page >= 1 && page <= lastPage) shown.add(page);
  }
  const pages = [...shown].sort((a, b) => a - b);
  const items: PageItem[] = [];
  let previous = 0;
  for (const page of pages) {
    if (page - previous === 2) items.push(page - 1);
    else if (page - previous > 2) items.push('gap');
    items.push(page);
    previous = page;
  }
  return items;
}
