/**
 * The search index kept between builds (in cacheDir), so that a build whose articles did not change
 * neither parses the content data store nor builds the index again. Two keys, both content hashes:
 *
 * - `<records key>.sqlite`: the index, by a hash of its records (and schema and code): a store that
 *   changed in ways the index does not hold (an article's cover, say) still reuses it;
 * - `<store key>.store`: which index the store's exact bytes gave (and how many articles it holds), by a
 *   hash of the store file (and schema and code, ./fingerprint.ts). A build whose store file has the
 *   same bytes reads only this, never parsing the store (the largest file of a large site's build) nor turning
 *   its HTML into text.
 *
 * The records depend on the store's bytes, the code, and the clock (`searchRecords` leaves out articles
 * not yet published at `now`). The loader already left out everything unpublished when it ran, earlier in
 * the same build, so every stored article is published by the time this runs and the clock changes
 * nothing; a build where it did change something (a stored article not published at `now`) writes no
 * store key, so a later build with the same bytes computes the records again.
 *
 * The index is placed by hard link (the server opens it read-only, and the builder writes a new file and
 * renames it, never writing one in place), or copied where linking is not possible (another file system).
 */
import {
  closeSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { linkOrCopy } from '../build/files';
import { buildSearchIndex } from './build';
import { parseDataStore, searchRecords, type SearchRecord } from './records';
import { SCHEMA_VERSION } from './schema';

export interface StoreRecords {
  records: SearchRecord[];
  /** Articles stored in the data store; more than `records` when some were left out at `now`. */
  stored: number;
}

export function recordsOfStore(text: string, now = new Date()): StoreRecords {
  const store = parseDataStore(text);
  return { records: searchRecords(store, now), stored: store.get('articles')?.size ?? 0 };
}

export interface KeptIndexOptions {
  /** Astro's content data store file. */
  storeFile: string;
  /** Where the index goes (dist/server/search-index.sqlite). */
  file: string;
  /** The folder keeping the latest index between builds. */
  keptDir: string;
  /** ./fingerprint.ts of the code turning the store into the index; undefined: never reuse by the store's bytes. */
  code: string | undefined;
  /** The store's text to records (tests count the calls). */
  records?: (text: string) => StoreRecords;
  /** node:fs `linkSync` (tests make it fail). */
  link?: (existing: string, target: string) => void;
}

export interface PlacedIndex {
  articles: number;
  /** `store`: same store bytes as a kept index; `records`: same records; `built`: built now. */
  source: 'store' | 'records' | 'built';
  /** How the kept index was placed at `file` (or the built one kept): by hard link or by copy. */
  placed: 'linked' | 'copied';
}

/** A SHA-256 hash fed with strings, each length-prefixed (more may be fed after them). */
function hashOf(parts: Iterable<string>) {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${part.length}\0`).update(part);
  return hash;
}

/**
 * A hash of strings. Records are passed one string each: one JSON string of them all took several times
 * longer to build and hash (docs/performance.md, "Incremental builds").
 */
const sha256 = (parts: Iterable<string>) => hashOf(parts).digest('hex');

/**
 * The store key: schema, code and the store file's bytes, read a megabyte at a time into one buffer.
 * Reading the whole file first took longer than hashing it, mostly to fault in the new memory
 * (docs/performance.md, "Incremental builds").
 */
function storeKey(schema: string, code: string, storeFile: string): string {
  const hash = hashOf([schema, code]);
  const buffer = Buffer.allocUnsafe(1 << 20);
  const fd = openSync(storeFile, 'r');
  try {
    for (let read; (read = readSync(fd, buffer, 0, buffer.length, null));) hash.update(buffer.subarray(0, read));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code;

/**
 * `from` at `to` by hard link, else by copy (../build/files.ts `linkOrCopy`), replacing `to` atomically.
 * Throws ENOENT when `from` does not exist.
 */
function place(from: string, to: string, link: (existing: string, target: string) => void): 'linked' | 'copied' {
  const temporary = `${to}.tmp`;
  rmSync(temporary, { force: true });
  const placed = linkOrCopy(from, temporary, link);
  renameSync(temporary, to);
  // rename() does nothing when both names are links to the same file (`to` was already this index).
  rmSync(temporary, { force: true });
  return placed;
}

/** Places the kept index `from` at `to`; false when there is none. */
function placeKept(from: string, to: string, link: (existing: string, target: string) => void) {
  try {
    return place(from, to, link);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw error;
  }
}

interface StorePointer {
  records: string;
  articles: number;
}

function readPointer(file: string): StorePointer | undefined {
  try {
    const pointer = JSON.parse(readFileSync(file, 'utf8')) as Partial<StorePointer>;
    if (typeof pointer.records !== 'string' || !/^[0-9a-f]{64}$/.test(pointer.records)) return undefined;
    if (typeof pointer.articles !== 'number') return undefined;
    return { records: pointer.records, articles: pointer.articles };
  } catch {
    return undefined;
  }
}

/** Puts the search index for the store at `file`: the kept one when the store or its records are unchanged, else a new one. */
export function placeSearchIndex(options: KeptIndexOptions): PlacedIndex {
  const { storeFile, file, keptDir, code, records: toRecords = recordsOfStore, link = linkSync } = options;
  const schema = `schema ${SCHEMA_VERSION}`;
  const pointerFile = code === undefined ? undefined : join(keptDir, `${storeKey(schema, code, storeFile)}.store`);

  const pointer = pointerFile && readPointer(pointerFile);
  if (pointer) {
    const placed = placeKept(join(keptDir, `${pointer.records}.sqlite`), file, link);
    if (placed) return { articles: pointer.articles, source: 'store', placed };
  }

  const { records, stored } = toRecords(readFileSync(storeFile, 'utf8'));
  const recordsKey = sha256([schema, code ?? '', ...records.map((record) => JSON.stringify(record))]);
  const kept = join(keptDir, `${recordsKey}.sqlite`);
  let source: PlacedIndex['source'] = 'records';
  let placed = placeKept(kept, file, link);
  if (!placed) {
    source = 'built';
    buildSearchIndex(records, file);
    // Only the latest index is kept.
    rmSync(keptDir, { recursive: true, force: true });
    mkdirSync(keptDir, { recursive: true });
    placed = place(file, kept, link);
  }
  if (pointerFile && records.length === stored) {
    // Only the latest store's key is kept (written once its index is in place, so it never names a missing one).
    for (const name of readdirSync(keptDir)) if (name.endsWith('.store')) rmSync(join(keptDir, name), { force: true });
    writeFileSync(`${pointerFile}.tmp`, JSON.stringify({ records: recordsKey, articles: records.length }));
    renameSync(`${pointerFile}.tmp`, pointerFile);
  }
  return { articles: records.length, source, placed };
}
