/**
 * Queries against the search index, for one reader. The reader's access is asked per article through
 * the one access decision (src/gate/decision.ts):
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
import { decideAccess } from '../gate/decision';
import type { Viewer } from '../gate/viewer';
import { GATED_LEVELS, isAccessLevel, isGated, type GatedAccessLevel } from '../gate/membership';
import { articlePath } from '../site/paths';
import { isPublished } from '../articles/publish';
import type { ArticleFields } from './records';
import type { ParsedQuery } from './query';
import {
  BODY_COLUMN,
  COLUMN_WEIGHTS,
  COLUMNS,
  memberTable,
  PUBLIC_TABLE,
  SCHEMA_VERSION,
  SEARCH_INDEX_FILE,
} from './schema';
import { ELLIPSIS, hasMatch, MATCH_END, MATCH_START, SNIPPET_TOKENS, snippetSegments, type Segment } from './snippet';

export const PAGE_SIZE = 10;

export interface ArticleMeta extends ArticleFields {
  id: number;
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
  table: string;
}

const weights = COLUMN_WEIGHTS.join(', ');

/** The shape of one query: which member tables it reads and which filters it needs. */
interface Shape {
  levels: GatedAccessLevel[];
  /** Some gated articles are allowed: their public entries are replaced by their member entries. */
  replacesPublic: boolean;
  /** Some indexed articles are not published by the server's clock. */
  hidesUnpublished: boolean;
}

/**
 * The matching rows of one query as SQL: the public table for everyone, then each member table the
 * reader may read, restricted to the allowed articles. Ranked and counted by SQLite, so only a page of
 * rows reaches JavaScript. (`+rowid` keeps SQLite from running the full-text match once per listed id.)
 */
function hitsSql({ levels, replacesPublic, hidesUnpublished }: Shape): string {
  const branches = [
    `SELECT rowid AS id, bm25(${PUBLIC_TABLE}, ${weights}) AS score, '${PUBLIC_TABLE}' AS source
     FROM ${PUBLIC_TABLE} WHERE ${PUBLIC_TABLE} MATCH $q` +
      (replacesPublic ? ` AND +rowid NOT IN (SELECT value FROM json_each($allowed))` : ''),
    ...levels.map((level) => {
      const table = memberTable(level);
      return `SELECT rowid AS id, bm25(${table}, ${weights}) AS score, '${table}' AS source
       FROM ${table} WHERE ${table} MATCH $q AND +rowid IN (SELECT value FROM json_each($allowed_${level}))`;
    }),
  ];
  return (
    `WITH hits AS (${branches.join(' UNION ALL ')})
    SELECT hits.id AS id, hits.score AS score, hits.source AS source, articles.pub_ms AS pub_ms
    FROM hits JOIN articles ON articles.id = hits.id` +
    (hidesUnpublished ? ` WHERE +hits.id NOT IN (SELECT value FROM json_each($hidden))` : '')
  );
}

export class SearchIndex {
  readonly #db: DatabaseSync;
  readonly #articles = new Map<number, ArticleMeta>();
  readonly #gated = new Map<GatedAccessLevel, ArticleMeta[]>();
  /** Each level's ids as the JSON parameter the queries take, for the usual case: all of them allowed. */
  readonly #allIdsJson = new Map<GatedAccessLevel, string>();
  /** The newest publication time in the index: before it, some articles are not published yet. */
  #newestPubMs = 0;
  readonly #snippets = new Map<string, StatementSync>();
  readonly #queries = new Map<string, { page: StatementSync; count: StatementSync }>();

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
      this.#newestPubMs = Math.max(this.#newestPubMs, meta.pubDate.getTime());
      if (isGated(meta.access)) {
        const list = this.#gated.get(meta.access) ?? [];
        list.push(meta);
        this.#gated.set(meta.access, list);
      }
    }
    for (const [level, articles] of this.#gated) this.#allIdsJson.set(level, JSON.stringify(articles.map((a) => a.id)));
    for (const table of [PUBLIC_TABLE, ...GATED_LEVELS.map(memberTable)]) {
      this.#snippets.set(
        table,
        this.#db.prepare(
          `SELECT highlight(${table}, ${COLUMNS.indexOf('title')}, ?1, ?2) AS title,
                  snippet(${table}, ${BODY_COLUMN}, ?1, ?2, ?3, ${SNIPPET_TOKENS}) AS body,
                  highlight(${table}, ${COLUMNS.indexOf('description')}, ?1, ?2) AS description
           FROM ${table} WHERE ${table} MATCH ?4 AND rowid = ?5`,
        ),
      );
    }
  }

  get size(): number {
    return this.#articles.size;
  }

  /** Gated articles this reader may read in full, by level, as the queries' JSON id lists; asked per article. */
  #allowedGated(viewer: Viewer): Map<GatedAccessLevel, { ids: number[]; json: string }> {
    const allowed = new Map<GatedAccessLevel, { ids: number[]; json: string }>();
    for (const [level, articles] of this.#gated) {
      const ids = articles.filter((a) => decideAccess(viewer, a).allowed).map((a) => a.id);
      if (ids.length === 0) continue;
      allowed.set(level, {
        ids,
        json: ids.length === articles.length ? this.#allIdsJson.get(level)! : JSON.stringify(ids),
      });
    }
    return allowed;
  }

  #statements(shape: Shape) {
    const key = `${shape.levels.join(',')}|${shape.replacesPublic}|${shape.hidesUnpublished}`;
    let statements = this.#queries.get(key);
    if (!statements) {
      const hits = hitsSql(shape);
      statements = {
        // The total comes with the page (one pass over the matches); the count alone only past the end.
        page: this.#db.prepare(
          `SELECT *, count(*) OVER () AS total FROM (${hits}) ORDER BY score, pub_ms DESC, id LIMIT $limit OFFSET $offset`,
        ),
        count: this.#db.prepare(`SELECT count(*) AS n FROM (${hits})`),
      };
      this.#queries.set(key, statements);
    }
    return statements;
  }

  search(viewer: Viewer, query: Extract<ParsedQuery, { ok: true }>, page: number, now = new Date()): SearchPage {
    const allowed = this.#allowedGated(viewer);
    // The index holds what was published when the build ran; a server clock behind it hides the rest.
    const hidden =
      now.getTime() >= this.#newestPubMs
        ? []
        : [...this.#articles.values()]
            .filter((a) => !isPublished({ draft: false, pubDate: a.pubDate }, now))
            .map((a) => a.id);
    const shape: Shape = {
      levels: [...allowed.keys()],
      replacesPublic: allowed.size > 0,
      hidesUnpublished: hidden.length > 0,
    };
    const params: Record<string, string | bigint> = { q: query.expression };
    if (shape.replacesPublic) params.allowed = JSON.stringify([...allowed.values()].flatMap((level) => level.ids));
    for (const [level, { json }] of allowed) params[`allowed_${level}`] = json;
    if (shape.hidesUnpublished) params.hidden = JSON.stringify(hidden);

    const statements = this.#statements(shape);
    // Pages past the last (up to a limit far beyond any archive) find no rows and count separately.
    const offset = (Math.min(page, Math.floor(Number.MAX_SAFE_INTEGER / PAGE_SIZE)) - 1) * PAGE_SIZE;
    // Integers as BigInt, as SQLite's integers (see #hit).
    const rows = statements.page.all({ ...params, limit: BigInt(PAGE_SIZE), offset: BigInt(offset) });
    const total = Number(rows[0]?.total ?? statements.count.get(params)?.n ?? 0);
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const hits = rows.map((row) => this.#hit({ id: Number(row.id), table: String(row.source) }, query.expression));
    return { hits, total, page, pages, searchedMemberText: allowed.size > 0 };
  }

  #hit(scored: Scored, expression: string): SearchHit {
    const meta = this.#articles.get(scored.id)!;
    // A BigInt: node:sqlite binds every JS number as REAL, and FTS5 ignores `rowid = ?` given a REAL,
    // answering with the first matching row of the table instead of this one.
    const row = this.#snippets.get(scored.table)!.get(MATCH_START, MATCH_END, ELLIPSIS, expression, BigInt(scored.id));
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
