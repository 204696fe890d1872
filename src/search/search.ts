/**
 * Queries against the search index, for one reader. The reader's access is asked per article through
 * the one access decision (src/lib/access/decision.ts):
 *
 * - `public_text` (what anyone may read) is searched for everyone;
 * - a level's `member_text_<level>` table is searched only when the decision allows the reader at least
 *   one article of that level, and its rows count only for the articles the decision allows. A reader
 *   allowed nothing gated runs exactly the public query, so member text cannot shape their matches,
 *   snippets, counts, ordering or timing.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { decideAccess } from '../lib/access/decision';
import type { Viewer } from '../lib/access/viewer';
import { isAccessLevel, isGated, type AccessLevel, type GatedAccessLevel } from '../lib/membership';
import { articlePath } from '../lib/paths';
import { isPublished } from '../lib/publish';
import type { ParsedQuery } from './query';
import {
  BODY_COLUMN,
  COLUMN_WEIGHTS,
  COLUMNS,
  GATED_LEVELS,
  memberTable,
  PUBLIC_TABLE,
  SCHEMA_VERSION,
  SEARCH_INDEX_FILE,
} from './schema';
import { ELLIPSIS, hasMatch, MATCH_END, MATCH_START, SNIPPET_TOKENS, snippetSegments, type Segment } from './snippet';

export const PAGE_SIZE = 10;

export interface ArticleMeta {
  id: number;
  slug: string;
  access: AccessLevel;
  title: string;
  description: string;
  tags: string[];
  pubDate: Date;
}

export interface SearchHit extends ArticleMeta {
  path: string;
  /** The title with matched words marked. */
  titleSegments: Segment[];
  snippet: Segment[];
}

export interface SearchPage {
  hits: SearchHit[];
  total: number;
  page: number;
  pages: number;
  /** True when members-only text was searched for this reader (the response must then be private). */
  searchedMemberText: boolean;
}

interface Scored {
  id: number;
  score: number;
  table: string;
}

interface Statements {
  match: StatementSync;
  snippet: StatementSync;
}

const weights = COLUMN_WEIGHTS.join(', ');

export class SearchIndex {
  readonly #db: DatabaseSync;
  readonly #articles = new Map<number, ArticleMeta>();
  readonly #gated = new Map<GatedAccessLevel, ArticleMeta[]>();
  readonly #tables = new Map<string, Statements>();

  constructor(file: string) {
    this.#db = new DatabaseSync(file, { readOnly: true });
    const version = this.#db.prepare(`SELECT value FROM meta WHERE key = 'schema'`).get()?.value;
    if (version !== String(SCHEMA_VERSION)) {
      this.#db.close();
      throw new Error(`search index ${file} has schema ${String(version)}, this server reads ${SCHEMA_VERSION}`);
    }
    for (const row of this.#db.prepare('SELECT * FROM articles').all()) {
      if (!isAccessLevel(row.access)) throw new Error(`search index: unknown access level "${String(row.access)}"`);
      const meta: ArticleMeta = {
        id: Number(row.id),
        slug: String(row.slug),
        access: row.access,
        title: String(row.title),
        description: String(row.description),
        tags: JSON.parse(String(row.tags)) as string[],
        pubDate: new Date(Number(row.pub_ms)),
      };
      this.#articles.set(meta.id, meta);
      if (isGated(meta.access)) this.#gated.set(meta.access, [...(this.#gated.get(meta.access) ?? []), meta]);
    }
    for (const table of [PUBLIC_TABLE, ...GATED_LEVELS.map(memberTable)]) {
      this.#tables.set(table, {
        match: this.#db.prepare(
          `SELECT rowid AS id, bm25(${table}, ${weights}) AS score FROM ${table} WHERE ${table} MATCH ?`,
        ),
        snippet: this.#db.prepare(
          `SELECT highlight(${table}, ${COLUMNS.indexOf('title')}, ?1, ?2) AS title,
                  snippet(${table}, ${BODY_COLUMN}, ?1, ?2, ?3, ${SNIPPET_TOKENS}) AS body,
                  highlight(${table}, ${COLUMNS.indexOf('description')}, ?1, ?2) AS description
           FROM ${table} WHERE ${table} MATCH ?4 AND rowid = ?5`,
        ),
      });
    }
  }

  get size(): number {
    return this.#articles.size;
  }

  /** Gated articles this reader may read in full, by level; asked per article. */
  #allowedGated(viewer: Viewer): Map<GatedAccessLevel, Set<number>> {
    const allowed = new Map<GatedAccessLevel, Set<number>>();
    for (const [level, articles] of this.#gated) {
      const ids = new Set(articles.filter((a) => decideAccess(viewer, a).allowed).map((a) => a.id));
      if (ids.size > 0) allowed.set(level, ids);
    }
    return allowed;
  }

  search(viewer: Viewer, query: Extract<ParsedQuery, { ok: true }>, page: number, now = new Date()): SearchPage {
    const allowed = this.#allowedGated(viewer);
    const best = new Map<number, Scored>();
    for (const row of this.#tables.get(PUBLIC_TABLE)!.match.all(query.expression)) {
      const id = Number(row.id);
      best.set(id, { id, score: Number(row.score), table: PUBLIC_TABLE });
    }
    for (const [level, ids] of allowed) {
      const table = memberTable(level);
      // An allowed article is ranked and cut from its whole text: drop its public-only entry first.
      for (const id of ids) best.delete(id);
      for (const row of this.#tables.get(table)!.match.all(query.expression)) {
        const id = Number(row.id);
        if (ids.has(id)) best.set(id, { id, score: Number(row.score), table });
      }
    }
    const ranked = [...best.values()]
      .filter((hit) => {
        const meta = this.#articles.get(hit.id);
        return meta !== undefined && isPublished({ draft: false, pubDate: meta.pubDate }, now);
      })
      .sort(
        (a, b) =>
          a.score - b.score ||
          this.#articles.get(b.id)!.pubDate.getTime() - this.#articles.get(a.id)!.pubDate.getTime() ||
          a.id - b.id,
      );
    const pages = Math.max(1, Math.ceil(ranked.length / PAGE_SIZE));
    const hits =
      page > pages
        ? []
        : ranked.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((hit) => this.#hit(hit, query.expression));
    return { hits, total: ranked.length, page, pages, searchedMemberText: allowed.size > 0 };
  }

  #hit(scored: Scored, expression: string): SearchHit {
    const meta = this.#articles.get(scored.id)!;
    const row = this.#tables.get(scored.table)!.snippet.get(MATCH_START, MATCH_END, ELLIPSIS, expression, scored.id);
    const body = snippetSegments(String(row?.body ?? ''));
    const description = snippetSegments(String(row?.description ?? meta.description));
    const snippet = hasMatch(body) || !description.length ? body : description;
    return {
      ...meta,
      path: articlePath({ id: meta.slug, data: { access: meta.access } }),
      titleSegments: snippetSegments(String(row?.title ?? meta.title), Number.MAX_SAFE_INTEGER),
      snippet,
    };
  }

  close(): void {
    this.#db.close();
  }
}

/** Where the build puts the index: next to the server entry, seen from any server chunk. */
function indexFile(): string | undefined {
  for (const candidate of [`./${SEARCH_INDEX_FILE}`, `../${SEARCH_INDEX_FILE}`]) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) return path;
  }
  return undefined;
}

let opened: { index: SearchIndex | null } | undefined;

/** The server's index, opened read-only once per process; null (with one message) when it is missing. */
export function serverSearchIndex(): SearchIndex | null {
  if (opened) return opened.index;
  const file = indexFile();
  try {
    if (!file) throw new Error(`no ${SEARCH_INDEX_FILE} next to the server (run \`astro build\`; deploy dist/ whole)`);
    opened = { index: new SearchIndex(file) };
  } catch (error) {
    console.error(`[gatepost] search unavailable: ${(error as Error).message}`);
    opened = { index: null };
  }
  return opened.index;
}
