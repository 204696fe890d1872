/** The search page's URL: /search/?q=…&page=n (page 1 has no page parameter). */
export const SEARCH_PATH = '/search/';

export function searchPath(query?: string, page = 1): string {
  const params = new URLSearchParams();
  if (query) params.set('q', query);
  if (page > 1) params.set('page', String(page));
  const search = params.toString();
  return search ? `${SEARCH_PATH}?${search}` : SEARCH_PATH;
}
