/**
 * Content loaders that keep member-only text out of everything that does not need it, by construction.
 *
 * Both wrap Astro's own `glob()` loader over the same Markdown files (so parsing, rendering, images and
 * caching are Astro's) and change only what gets stored:
 *
 * - `previewLoader` (the `articles` collection): a gated article is stored cut at the members-only
 *   marker — its body, rendered HTML and headings stop there (fail closed: no marker, no body at all).
 *   Listings, feeds, the sitemap and every prerendered page read this collection, so even a page that
 *   rendered a gated article by mistake could only show its public preview.
 * - `memberLoader` (the `memberBodies` collection): only gated articles, in full. Only the gated page
 *   reads it, through `renderMembersOnlyBody()`, which requires an `allowed` access decision.
 *
 * Unpublished articles (drafts, and scheduled ones whose time has not come when the build runs) are
 * dropped by both: they are never stored, so no build artifact, not even the server's data chunk,
 * contains their text. Editors preview them from the source files instead (src/editor/).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { glob } from 'astro/loaders';
import { escapePath, glob as listFiles } from 'tinyglobby';
import { parse as parseYaml } from 'yaml';
import type { Loader, LoaderContext } from 'astro/loaders';
import { findFrontmatter } from './frontmatter';
import { isAccessLevel, isGated } from '../gate/membership';
import { findMarker, MARKER_FLAG, splitRendered, splitSource } from './marker';

export { MARKER_FLAG };
import { isPublished, type Publishable } from './publish';
import { countWords } from './reading-time';

type GlobOptions = Parameters<typeof glob>[0];
type StoredEntry = Parameters<LoaderContext['store']['set']>[0];

/** Not published as of this build (draft, scheduled, or without a readable date: fail closed). */
const isUnpublished = (entry: StoredEntry) => {
  const data = entry.data as Partial<Publishable>;
  if (data.draft !== false || !(data.pubDate instanceof Date)) return true;
  return !isPublished(data as Publishable);
};

const isGatedEntry = (entry: StoredEntry) => {
  const access = (entry.data as { access?: unknown }).access;
  // Anything that is not clearly public is treated as gated (the schema rejects such values anyway).
  return !isAccessLevel(access) || isGated(access);
};

/** What the `memberBodies` collection stores: published gated articles, in full. */
const isMemberBody = (entry: StoredEntry) => !isUnpublished(entry) && isGatedEntry(entry);

const PREVIEW_FLAG = 'gatepostPreview';

/**
 * Bump when what these loaders store changes. Astro's glob loader keeps entries of unchanged files
 * from the previous build; entries stored by another version are dropped before loading, so they are
 * rendered again from source instead of being reused.
 */
export const LOADER_VERSION = 4;
const VERSION_KEY = 'gatepostLoader';

/**
 * What is finally stored: the rendered HTML and metadata, with the reading-time word count and whether
 * the article has a marker, and without the raw Markdown `body`. Nothing reads the body once it is
 * rendered (editor previews read the source files), and it is a large part of the data store.
 */
function stamped(entry: StoredEntry): StoredEntry {
  if (!entry.rendered) return entry;
  const { body, rendered, ...rest } = entry;
  const words = typeof rendered.metadata?.words === 'number' ? rendered.metadata.words : countWords(body ?? '');
  const marker = rendered.metadata?.[MARKER_FLAG] ?? findMarker(body ?? '').marker !== undefined;
  return {
    ...rest,
    rendered: {
      ...rendered,
      metadata: { ...rendered.metadata, words, [MARKER_FLAG]: marker, [VERSION_KEY]: LOADER_VERSION },
    },
  };
}

/**
 * A gated entry reduced to its public preview (idempotent). The marker is found in the Markdown body by
 * `findMarker`, as the desk and the checker find it; without the body there is no preview (fail closed).
 * Exported for unit tests.
 */
export function toPreviewEntry(entry: StoredEntry): StoredEntry {
  if (entry.rendered?.metadata?.[PREVIEW_FLAG] === true) return entry;
  const markers = findMarker(entry.body ?? '');
  const html = entry.rendered?.html ?? '';
  const split = splitRendered(html, markers.marker !== undefined);
  const preview = split.preview;
  const headings = (entry.rendered?.metadata?.headings ?? []).filter((h) => preview.includes(`id="${h.slug}"`));
  const { body, rendered, ...rest } = entry;
  return {
    ...rest,
    ...(body !== undefined && { body: splitSource(body, markers).preview }),
    ...(rendered && {
      rendered: {
        html: preview,
        // The reading time of the whole article is metadata readers may see; its words are not.
        metadata: {
          ...rendered.metadata,
          headings,
          [PREVIEW_FLAG]: true,
          [MARKER_FLAG]: split.hasMarker,
          words: countWords(body ?? ''),
        },
      },
    }),
  };
}

const IMAGE_PREFIX = '__ASTRO_IMAGE_';

/**
 * Images an article refers to (its cover, images in its body) must exist. Astro would stop the build
 * too, but without saying which article asked for the file; this names the article, the field and
 * the path it looked at.
 */
export function missingImages(entry: StoredEntry, root: string): string[] {
  if (!entry.filePath) return [];
  const folder = dirname(join(root, entry.filePath));
  const problems: string[] = [];
  const cover = (entry.data as { cover?: { src?: unknown } }).cover?.src;
  const wanted: [string, string][] = [];
  if (typeof cover === 'string') wanted.push(['cover.src', cover.replace(IMAGE_PREFIX, '')]);
  for (const path of entry.rendered?.metadata?.imagePaths ?? []) wanted.push(['image in the body', path]);
  for (const [field, path] of wanted) {
    if (/^(https?:)?\/\//.test(path) || path.startsWith('/')) continue;
    if (!existsSync(join(folder, path))) {
      problems.push(`${entry.filePath}: ${field} "${path}" does not exist (looked for ${join(folder, path)})`);
    }
  }
  return problems;
}

/**
 * True unless the file's frontmatter certainly says `access: public`. Unreadable or unusual frontmatter
 * counts as possibly gated: including a file too many only costs a render that the loader then drops.
 */
export function mayBeGated(source: string): boolean {
  const block = findFrontmatter(source);
  if (!block) return true;
  try {
    return (parseYaml(block.yaml) as { access?: unknown } | null)?.access !== 'public';
  } catch {
    return true;
  }
}

/**
 * The same glob narrowed to the files that may be gated, so a build renders public articles once (for
 * the `articles` collection) rather than twice. Only for builds: `astro dev` watches the files a glob
 * matched, and an article made members-only while it runs must still reach `memberBodies`.
 */
async function narrowToMaybeGated(options: GlobOptions, context: LoaderContext): Promise<GlobOptions> {
  // Resolved as the glob loader resolves it: relative to the project root, or an absolute file URL.
  const base = fileURLToPath(new URL(options.base ?? '.', context.config.root));
  const files = await listFiles(options.pattern, { cwd: base, expandDirectories: false });
  // Answers of earlier builds, by the file's bytes: reading the frontmatter's YAML of every article again
  // on every build was a second or two of a large site's build. Bytes never seen are read as before.
  const known = readAnswers(context.meta.get(MAYBE_GATED_KEY));
  const answers: Record<string, boolean> = {};
  const gated = files.filter((file) => {
    const source = readFileSync(join(base, file), 'utf8');
    const key = createHash('sha256').update(source).digest('base64url');
    return (answers[key] ??= known[key] ?? mayBeGated(source));
  });
  context.meta.set(MAYBE_GATED_KEY, JSON.stringify({ version: LOADER_VERSION, answers }));
  return { ...options, pattern: exactFilePatterns(gated) };
}

/** Where `narrowToMaybeGated` keeps its answers (the collection's meta store, kept between builds). */
const MAYBE_GATED_KEY = 'gatepost-maybe-gated';

/** Kept answers, unless absent, unreadable or written under other rules (LOADER_VERSION). */
function readAnswers(kept: string | undefined): Record<string, boolean> {
  try {
    const parsed = JSON.parse(kept ?? '') as { version?: unknown; answers?: unknown };
    if (parsed.version !== LOADER_VERSION || typeof parsed.answers !== 'object' || parsed.answers === null) return {};
    return parsed.answers as Record<string, boolean>;
  } catch {
    return {};
  }
}

/** File names per brace pattern: picomatch limits a pattern's length (65,536 characters by default). */
const NAMES_PER_PATTERN = 500;

/**
 * Glob patterns matching exactly these files. One pattern per file would make the glob test every file
 * against every pattern (about 10 s for 10,000 articles); a brace list per few hundred names is one
 * regular expression each (about 0.15 s). Exported for unit tests.
 */
export function exactFilePatterns(files: readonly string[]): string[] {
  // Commas separate a brace's alternatives, so a comma in a name is escaped too.
  const escaped = files.map((file) => escapePath(file).replace(/,/g, '\\,'));
  const patterns: string[] = [];
  for (let i = 0; i < escaped.length; i += NAMES_PER_PATTERN) {
    const names = escaped.slice(i, i + NAMES_PER_PATTERN);
    patterns.push(names.length === 1 ? names[0]! : `{${names.join(',')}}`);
  }
  return patterns;
}

/**
 * A build renders each gated article once. The `articles` collection's glob renders every published
 * article in full before `toPreviewEntry` cuts the gated ones, so it hands those full entries, exactly as
 * Astro's glob produced them, to the `memberBodies` collection of the same sync, which stores them before
 * running its own glob. That glob skips a file whose entry is already stored with the file's digest, so it
 * renders only what was not handed over (the saving is in docs/performance.md, "Incremental builds").
 * Astro loads the collections concurrently; the full text never leaves the two loaders and is dropped
 * once handed over.
 *
 * A handover is only an optimisation: an entry is stored under the digest of the file it was rendered
 * from, so if the file changed since, the member glob renders it again; and when no `articles` load runs
 * alongside (a sync of one collection, `astro dev`), the member glob renders everything itself as before.
 */
interface Handover {
  entries: Map<string, StoredEntry>;
  /** Settles when the `articles` load ends: true if it completed, false if it failed. */
  done: Promise<boolean>;
}
let handover: Handover | undefined;

/** Starts the handover of the `articles` load that is beginning; `finish` ends it. */
function openHandover(): { entries: Map<string, StoredEntry>; finish: (completed: boolean) => void } {
  let finish!: (completed: boolean) => void;
  const done = new Promise<boolean>((resolve) => (finish = resolve));
  const entries = new Map<string, StoredEntry>();
  handover = { entries, done };
  return { entries, finish };
}

/** The full entries the concurrent `articles` load rendered, once it has ended (none if it failed or none runs). */
async function takeHandover(): Promise<StoredEntry[]> {
  // Astro starts both loads in the same turn; one more turn of the event loop lets the other begin.
  await new Promise((resolve) => setImmediate(resolve));
  const current = handover;
  if (!current) return [];
  const completed = await current.done;
  if (handover === current) handover = undefined;
  return completed ? [...current.entries.values()] : [];
}

function withStore(
  options: GlobOptions,
  name: string,
  transform: (entry: StoredEntry) => StoredEntry | null,
  { onlyMaybeGated = false, handsOver = false } = {},
): Loader {
  const everything = glob(options);
  return {
    name,
    load: async (context) => {
      // Builds only: `astro dev` renders changed files one by one, through the glob's watcher.
      const building = !context.watcher;
      const giving = handsOver && building ? openHandover() : undefined;
      try {
        await loadInto(context, building, giving?.entries);
        giving?.finish(true);
      } catch (error) {
        giving?.finish(false);
        throw error;
      }
    },
  };

  async function loadInto(context: LoaderContext, building: boolean, handing?: Map<string, StoredEntry>) {
    const root = fileURLToPath(context.config.root);
    const narrowed = onlyMaybeGated && building ? await narrowToMaybeGated(options, context) : undefined;
    const inner = narrowed ? glob(narrowed) : everything;
    // Forward everything (including Astro's internal helpers) except `set`, which is filtered.
    const store = new Proxy(context.store, {
      get(target, property, receiver) {
        if (property === 'set') {
          return (entry: StoredEntry) => {
            const missing = missingImages(entry, root);
            if (missing.length) throw new Error(`Missing image in an article:\n  ${missing.join('\n  ')}`);
            if (handing && entry.rendered && isMemberBody(entry)) {
              // A copy: Astro's store rewrites image fields of the data in place as it stores them, and
              // the members' collection must share no object with this one (its file would differ).
              handing.set(entry.id, structuredClone(entry));
            }
            const stored = transform(entry);
            if (stored) return target.set(stamped(stored));
            // Filtered out (e.g. it became a draft): drop any copy a previous build cached.
            target.delete(entry.id);
            return false;
          };
        }
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    // Entries an older version of these rules stored are rendered again from source.
    for (const entry of context.store.values()) {
      if (entry.rendered?.metadata?.[VERSION_KEY] !== LOADER_VERSION) context.store.delete(entry.id);
    }
    if (narrowed && narrowed.pattern.length === 0) {
      // Nothing may be gated (a glob of no patterns would warn that it found no files).
      context.store.clear();
    } else {
      // The narrowed glob is the member collection's in a build: it stores what `articles` handed over first.
      if (narrowed) for (const entry of await takeHandover()) store.set(entry);
      await inner.load({ ...context, store });
    }
    // The glob loader skips files whose content did not change since the last build, keeping what an
    // earlier build stored. Re-apply the rules to everything kept, so a change to them (or to this
    // file) can never leave an uncut body or a draft behind in the cache.
    for (const entry of context.store.values()) {
      const missing = missingImages(entry, root);
      if (missing.length) throw new Error(`Missing image in an article:\n  ${missing.join('\n  ')}`);
      const stored = transform(entry);
      if (stored === entry) continue;
      // `set` ignores an entry whose digest is unchanged, so replace by deleting first.
      context.store.delete(entry.id);
      if (stored) context.store.set(stamped(stored));
    }
  }
}

export function previewLoader(options: GlobOptions): Loader {
  return withStore(
    options,
    'gatepost-articles',
    (entry) => {
      if (isUnpublished(entry)) return null;
      return isGatedEntry(entry) ? toPreviewEntry(entry) : entry;
    },
    { handsOver: true },
  );
}

export function memberLoader(options: GlobOptions): Loader {
  return withStore(options, 'gatepost-member-bodies', (entry) => (isMemberBody(entry) ? entry : null), {
    onlyMaybeGated: true,
  });
}
