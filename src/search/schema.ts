/**
 * The search index file: one SQLite database written by the build (src/search/integration.ts) and
 * opened read-only by the server (src/search/search.ts). Tables:
 *
 * - `articles`: one row per published article (slug, access level, title, description, tags, date).
 * - `public_text`: FTS5 over what anyone may read of every article: title, description, tags and the
 *   public body (the whole body of a public article, the preview of a gated one).
 * - `member_text_<level>`: one FTS5 table per gated level (`GATED_LEVELS` of src/gate/membership.ts),
 *   holding the same columns for that level's articles with the *whole* body (preview and members-only
 *   part). A query reads a level's table only
 *   for readers the access decision lets read at least one of its articles, and uses its rows only for
 *   the articles the decision allows; everyone else's query never opens it.
 */
import type { GatedAccessLevel } from '../gate/membership';

/** The file, next to the server entry (dist/server). */
export const SEARCH_INDEX_FILE = 'search-index.sqlite';

/** Bump when the tables change; the server refuses an index of another version. */
export const SCHEMA_VERSION = 1;

/** English stemming (Porter) over Unicode word splitting, accents folded. */
export const TOKENIZER = 'porter unicode61 remove_diacritics 2';

/** Columns of every FTS table, in order; bm25 weights them by these numbers. */
export const COLUMNS = ['title', 'description', 'tags', 'body'] as const;
export const COLUMN_WEIGHTS = [10, 4, 4, 1] as const;
export const BODY_COLUMN = COLUMNS.indexOf('body');

export const PUBLIC_TABLE = 'public_text';

export function memberTable(level: GatedAccessLevel): string {
  if (!/^[a-z][a-z0-9_]*$/.test(level)) throw new Error(`Access level "${level}" cannot name a search table.`);
  return `member_text_${level}`;
}

export function ftsTableSql(name: string): string {
  return `CREATE VIRTUAL TABLE ${name} USING fts5(${COLUMNS.join(', ')}, tokenize='${TOKENIZER}', prefix='2 3')`;
}
