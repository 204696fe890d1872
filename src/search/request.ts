/** One search request, from its URL and reader to what the page shows, its status and cache class. */
import type { Viewer } from '../gate/viewer';
import type { CacheClass } from '../security/headers';
import { MAX_QUERY_CHARS, parseQuery } from './query';
import { serverSearchIndex, type SearchIndex, type SearchPage } from './search';

/** Page numbers beyond this are not parsed (they are past the end of any archive). */
const MAX_PAGE_DIGITS = 7;

export type SearchView =
  | { kind: 'form' }
  | { kind: 'message'; title: string; text: string }
  | { kind: 'results'; query: string; truncated: boolean; result: SearchPage }
  | { kind: 'past-end'; query: string; page: number; pages: number };

export interface SearchResponse {
  status: number;
  /** The cache class the page declares; the policy keeps the shared class only for readers without a session. */
  cacheClass: Extract<CacheClass, 'anonymousSearch' | 'private'>;
  query: string;
  view: SearchView;
}

/** `page` as a whole number from 1; Infinity when too long to be a real page; null when not a number. */
export function parsePage(raw: string | null): number | null {
  if (raw === null || raw === '') return 1;
  if (!/^\d+$/.test(raw)) return null;
  if (raw.length > MAX_PAGE_DIGITS) return Number.POSITIVE_INFINITY;
  const page = Number(raw);
  return page >= 1 ? page : null;
}

export function handleSearch(
  params: URLSearchParams,
  viewer: Viewer,
  index: SearchIndex | null = serverSearchIndex(),
): SearchResponse {
  const query = params.get('q') ?? '';
  // Only a full answer is worth sharing; error pages stay private.
  const answer = (
    status: number,
    view: SearchView,
    cacheClass: SearchResponse['cacheClass'] = 'anonymousSearch',
  ): SearchResponse => ({
    status,
    cacheClass: status === 200 ? cacheClass : 'private',
    query: query.slice(0, MAX_QUERY_CHARS * 2),
    view,
  });

  const parsed = parseQuery(query);
  if (!parsed.ok) {
    if (parsed.reason === 'empty') return answer(200, { kind: 'form' });
    if (parsed.reason === 'too-long') {
      return answer(400, {
        kind: 'message',
        title: 'That search is too long',
        text: `Searches can be up to ${MAX_QUERY_CHARS} characters. Try a few distinctive words.`,
      });
    }
    return answer(400, {
      kind: 'message',
      title: 'Nothing to search for',
      text: 'Searches need at least one word made of letters or digits.',
    });
  }
  const page = parsePage(params.get('page'));
  if (page === null) {
    return answer(400, {
      kind: 'message',
      title: 'No such page of results',
      text: 'The page number must be a whole number from 1.',
    });
  }
  if (!index) {
    return answer(503, {
      kind: 'message',
      title: 'Search is unavailable',
      text: 'Search is not available right now. Please try again later.',
    });
  }
  const result = index.search(viewer, parsed, Number.isFinite(page) ? page : Number.MAX_SAFE_INTEGER);
  const cacheClass = result.searchedMemberText ? 'private' : 'anonymousSearch';
  if (page > result.pages) {
    return answer(404, { kind: 'past-end', query, page, pages: result.pages }, cacheClass);
  }
  return answer(200, { kind: 'results', query, truncated: parsed.truncated, result }, cacheClass);
}
