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
 *   reads it, through `readMembersOnlyBody()`, which requires an `allowed` access decision.
 */
import { glob } from 'astro/loaders';
import type { Loader, LoaderContext } from 'astro/loaders';
import { isAccessLevel, isGated } from '../membership';
import { splitAtMarker } from '../preview';

type GlobOptions = Parameters<typeof glob>[0];
type StoredEntry = Parameters<LoaderContext['store']['set']>[0];

const isGatedEntry = (entry: StoredEntry) => {
  const access = (entry.data as { access?: unknown }).access;
  // Anything that is not clearly public is treated as gated (the schema rejects such values anyway).
  return !isAccessLevel(access) || isGated(access);
};

/** A gated entry reduced to its public preview. Exported for unit tests. */
export function toPreviewEntry(entry: StoredEntry): StoredEntry {
  const html = entry.rendered?.html ?? '';
  const preview = splitAtMarker(html).preview;
  const headings = (entry.rendered?.metadata?.headings ?? []).filter((h) => preview.includes(`id="${h.slug}"`));
  const { body, rendered, ...rest } = entry;
  return {
    ...rest,
    ...(body !== undefined && { body: splitAtMarker(body).preview }),
    ...(rendered && { rendered: { html: preview, metadata: { ...rendered.metadata, headings } } }),
  };
}

function withStore(options: GlobOptions, name: string, transform: (entry: StoredEntry) => StoredEntry | null): Loader {
  const inner = glob(options);
  return {
    name,
    load: (context) => {
      // Forward everything (including Astro's internal helpers) except `set`, which is filtered.
      const store = new Proxy(context.store, {
        get(target, property, receiver) {
          if (property === 'set') {
            return (entry: StoredEntry) => {
              const stored = transform(entry);
              return stored ? target.set(stored) : false;
            };
          }
          const value = Reflect.get(target, property, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      return inner.load({ ...context, store });
    },
  };
}

export function previewLoader(options: GlobOptions): Loader {
  return withStore(options, 'gatepost-articles', (entry) => (isGatedEntry(entry) ? toPreviewEntry(entry) : entry));
}

export function memberLoader(options: GlobOptions): Loader {
  return withStore(options, 'gatepost-member-bodies', (entry) => (isGatedEntry(entry) ? entry : null));
}
