/**
 * A build renders each gated article once: the `articles` collection's load hands the full entries it
 * rendered to the `memberBodies` load of the same sync (src/articles/loader.ts). Driven through Astro's
 * own glob() loader and data store, as a sync runs them (both loads at once, each with its own
 * collection), with a Markdown renderer that counts what it renders.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { LoaderContext } from 'astro/loaders';
// Astro's data store, by path: the package does not export it, and the loaders must run against the real one.
import { MutableDataStore } from '../../node_modules/astro/dist/content/mutable-data-store.js';
import { memberLoader, previewLoader } from '../../src/articles/loader';
import { findFrontmatter } from '../../src/articles/frontmatter';

const IMAGE = '__ASTRO_IMAGE_';

function article(access: string, title: string, body: string): string {
  return [
    '---',
    `title: ${title}`,
    `access: ${access}`,
    'pubDate: 2026-01-02',
    `cover: ${IMAGE}./cover.png`,
    '---',
    body,
  ].join('\n');
}

const FILES = {
  'open.md': article('public', 'Open', 'Everyone reads this.'),
  'recipe.md': article('members', 'Recipe', 'The public part.\n\n<!-- members-only -->\n\nThe secret part.'),
  'vault.md': article('premium', 'Vault', 'All of it is for premium members.'),
};

let root: string;
let renders: string[];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'gatepost-handover-'));
  mkdirSync(join(root, 'articles'));
  writeFileSync(join(root, 'articles', 'cover.png'), 'not really a picture');
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(root, 'articles', name), text);
  renders = [];
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** What Astro's Markdown entry type does, reduced: the frontmatter is the data, the rest is rendered. */
const markdown = {
  getEntryInfo: ({ contents }: { contents: string }) => {
    const block = findFrontmatter(contents)!;
    return { data: parseYaml(block.yaml) as Record<string, unknown>, body: contents.slice(block.bodyOffset).trim() };
  },
  getRenderFunction:
    async () =>
    async ({ id, body }: { id: string; body: string }) => {
      renders.push(id);
      const html = body
        .split('\n\n')
        .map((part) => (part.startsWith('<!--') ? part : `<p>${part}</p>`))
        .join('\n');
      return { html, metadata: { headings: [], imagePaths: [] } };
    },
};

function context(store: MutableDataStore, collection: string): LoaderContext {
  const quiet = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };
  return {
    collection,
    store: store.scopedStore(collection),
    meta: store.metaStore(collection),
    logger: quiet,
    config: { root: pathToFileURL(`${root}/`), srcDir: pathToFileURL(join(root, 'src/')) },
    // The schema's part that matters here: a real date, and a draft flag.
    parseData: async ({ data }: { data: Record<string, unknown> }) => ({
      ...data,
      draft: false,
      pubDate: new Date(String(data.pubDate)),
    }),
    generateDigest: (text: string) => String(text.length) + ':' + Buffer.from(text).toString('base64').slice(-24),
    entryTypes: new Map([['.md', markdown]]),
  } as unknown as LoaderContext;
}

const source = { base: './articles', pattern: '**/*.md' };

/** One sync of both collections at once, as Astro runs them. */
async function sync(store: MutableDataStore, which: 'both' | 'members only' = 'both'): Promise<void> {
  const loads = [memberLoader(source).load(context(store, 'memberBodies'))];
  if (which === 'both') loads.unshift(previewLoader(source).load(context(store, 'articles')));
  await Promise.all(loads);
}

const stored = (store: MutableDataStore, collection: string) =>
  Object.fromEntries([...store.scopedStore(collection).entries()].map(([id, entry]) => [id, entry]));

describe('rendering each gated article once per build', () => {
  it('stores the same full bodies as rendering them again, rendering every file once', async () => {
    const store = new MutableDataStore();
    await sync(store);
    expect(renders.sort()).toEqual(['open', 'recipe', 'vault']);

    // The members' collection as it is when it renders every gated file itself.
    const alone = new MutableDataStore();
    renders = [];
    await sync(alone, 'members only');
    expect(renders.sort()).toEqual(['recipe', 'vault']);
    expect(stored(store, 'memberBodies')).toEqual(stored(alone, 'memberBodies'));

    const vault = store.scopedStore('memberBodies').get('vault')!;
    expect(vault.rendered?.html).toContain('All of it is for premium members.');
    // The cover was recorded as an image of the entry, though the articles' store had rewritten its copy.
    expect(vault.data.cover).toBe('./cover.png');
    expect(vault.assetImports).toEqual(['./cover.png']);
    expect(stored(store, 'memberBodies')).not.toHaveProperty('open');
    // The articles' collection still holds only the preview.
    expect(store.scopedStore('articles').get('recipe')?.rendered?.html).not.toContain('The secret part.');
  });

  it('renders again only the edited file, and stores its new text in both collections', async () => {
    const store = new MutableDataStore();
    await sync(store);
    renders = [];
    writeFileSync(
      join(root, 'articles', 'recipe.md'),
      article('members', 'Recipe', 'The public part.\n\n<!-- members-only -->\n\nA new secret.'),
    );
    await sync(store);
    expect(renders).toEqual(['recipe']);
    expect(store.scopedStore('memberBodies').get('recipe')?.rendered?.html).toContain('A new secret.');
    expect(store.scopedStore('articles').get('recipe')?.rendered?.html).not.toContain('secret');
  });

  it('drops the full body of an article made public, and renders one made members-only once', async () => {
    const store = new MutableDataStore();
    await sync(store);
    renders = [];
    writeFileSync(join(root, 'articles', 'vault.md'), article('public', 'Vault', 'Now free for all.'));
    writeFileSync(join(root, 'articles', 'open.md'), article('members', 'Open', 'Now for members.'));
    await sync(store);
    expect(renders.sort()).toEqual(['open', 'vault']);
    expect(Object.keys(stored(store, 'memberBodies')).sort()).toEqual(['open', 'recipe']);
    expect(store.scopedStore('memberBodies').get('open')?.rendered?.html).toContain('Now for members.');
  });
});
