/**
 * The search index end to end on small synthetic archives: what matches for whom, ranking, stemming,
 * phrases, prefixes, snippets, and that a denied reader's results are exactly what they would be if
 * the members-only text did not exist.
 */
import { linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, viewerFromAuth, type Viewer } from '../../src/gate/viewer';
import { buildSearchIndex } from '../../src/search/build';
import { codeFingerprint, codeImports } from '../../src/search/fingerprint';
import { placeSearchIndex, recordsOfStore, type KeptIndexOptions } from '../../src/search/kept';
import { parseQuery } from '../../src/search/query';
import { parseDataStore, searchRecords, type SearchRecord } from '../../src/search/records';
import { handleSearch } from '../../src/search/request';
import { SearchIndex } from '../../src/search/search';
import { MATCH_END, MATCH_START, snippetSegments, type Segment } from '../../src/search/snippet';
import { htmlToText } from '../../src/search/text';
import { stringify } from 'devalue';
import fc from 'fast-check';

const dir = mkdtempSync(join(tmpdir(), 'gatepost-search-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const signedIn = (tier?: string): Viewer =>
  viewerFromAuth({ userId: 'user_1', sessionId: 'sess_1', sessionClaims: { metadata: tier ? { tier } : {} } });
const member = signedIn();
const premium = signedIn('premium');

const record = (slug: string, over: Partial<SearchRecord> = {}): SearchRecord => ({
  slug,
  access: 'public',
  title: `Title of ${slug}`,
  description: '',
  tags: [],
  pubDate: new Date('2026-01-01T00:00:00Z'),
  publicText: '',
  memberText: '',
  ...over,
});

let counter = 0;
function open(records: SearchRecord[]): SearchIndex {
  const file = join(dir, `index-${counter++}.sqlite`);
  buildSearchIndex(records, file);
  return new SearchIndex(file);
}

function run(index: SearchIndex, viewer: Viewer, q: string, page = 1, now?: Date) {
  const parsed = parseQuery(q);
  if (!parsed.ok) throw new Error(parsed.reason);
  return index.search(viewer, parsed, page, now);
}
const slugs = (index: SearchIndex, viewer: Viewer, q: string) => run(index, viewer, q).hits.map((h) => h.slug);
const text = (segments: Segment[]) => segments.map((s) => s.text).join('');
const marks = (segments: Segment[]) => segments.filter((s) => s.match).map((s) => s.text);

const archive: SearchRecord[] = [
  record('public-running', { publicText: 'She runs the marathon every spring, running through the park.' }),
  record('members-vault', {
    access: 'members',
    publicText: 'The preview talks about doors.',
    memberText: 'Behind the paywall lies the quartzvault procedure for members.',
  }),
  record('premium-vault', {
    access: 'premium',
    title: 'Premium deep dive',
    publicText: 'A public teaser about caching layers.',
    memberText: 'The zebrafinch protocol keeps caching layers honest. Quartzvault too.',
  }),
  record('old-caching', { publicText: 'Caching layers explained.', pubDate: new Date('2020-01-01T00:00:00Z') }),
  record('new-caching', { publicText: 'Caching layers explained.', pubDate: new Date('2025-01-01T00:00:00Z') }),
  record('title-caching', { title: 'Caching', publicText: 'Something else entirely, with caching once.' }),
];

describe('who finds what', () => {
  const index = open(archive);

  it('members-only words match only for readers the access decision allows', () => {
    expect(slugs(index, ANONYMOUS, 'zebrafinch')).toEqual([]);
    expect(slugs(index, member, 'zebrafinch')).toEqual([]);
    expect(slugs(index, premium, 'zebrafinch')).toEqual(['premium-vault']);
    expect(slugs(index, ANONYMOUS, 'quartzvault')).toEqual([]);
    expect(slugs(index, member, 'quartzvault')).toEqual(['members-vault']);
    expect(slugs(index, premium, 'quartzvault').sort()).toEqual(['members-vault', 'premium-vault']);
  });

  it('public fields and the preview of gated articles match for everyone', () => {
    expect(slugs(index, ANONYMOUS, 'doors')).toEqual(['members-vault']);
    expect(slugs(index, ANONYMOUS, 'premium deep')).toEqual(['premium-vault']);
  });

  it('an allowed reader matches words split between preview and members-only part', () => {
    expect(slugs(index, premium, 'teaser zebrafinch')).toEqual(['premium-vault']);
    expect(slugs(index, ANONYMOUS, 'teaser zebrafinch')).toEqual([]);
  });

  it('says when members-only text was searched (the response must then be private)', () => {
    expect(run(index, ANONYMOUS, 'caching').searchedMemberText).toBe(false);
    expect(run(index, member, 'caching').searchedMemberText).toBe(true);
  });

  it('never shows members-only text in a denied reader’s snippet', () => {
    const hit = run(index, ANONYMOUS, 'caching').hits.find((h) => h.slug === 'premium-vault')!;
    expect(text(hit.snippet)).toContain('teaser');
    expect(text(hit.snippet)).not.toContain('zebrafinch');
    const allowed = run(index, premium, 'zebrafinch').hits[0]!;
    expect(marks(allowed.snippet)).toEqual(['zebrafinch']);
  });
});

describe('a denied reader’s results do not depend on members-only text at all', () => {
  const withoutMemberText = open(archive.map((r) => ({ ...r, memberText: '' })));
  const withMemberText = open(archive);
  for (const q of ['caching', 'caching layers', 'quartzvault', 'the', 'cach*', 'premium OR doors']) {
    it(`"${q}": same hits, order, counts and snippets`, () => {
      expect(run(withMemberText, ANONYMOUS, q)).toEqual(run(withoutMemberText, ANONYMOUS, q));
      // Members-tier readers are denied the premium article: its text must not move their results either.
      const premiumFree = open(archive.map((r) => (r.access === 'premium' ? { ...r, memberText: '' } : r)));
      expect(run(withMemberText, member, q)).toEqual(run(premiumFree, member, q));
    });
  }
});

describe('language', () => {
  const index = open(archive);

  it('stems English: "run" finds "runs" and "running"', () => {
    expect(slugs(index, ANONYMOUS, 'run')).toEqual(['public-running']);
    expect(slugs(index, ANONYMOUS, 'marathons')).toEqual(['public-running']);
  });

  it('phrases need the words together and in order', () => {
    expect(slugs(index, ANONYMOUS, '"every spring"')).toEqual(['public-running']);
    expect(slugs(index, ANONYMOUS, '"spring every"')).toEqual([]);
  });

  it('prefixes', () => {
    expect(slugs(index, ANONYMOUS, 'mara*')).toEqual(['public-running']);
    expect(slugs(index, ANONYMOUS, 'mara')).toEqual([]);
  });

  it('OR', () => {
    expect(slugs(index, ANONYMOUS, 'doors OR marathon').sort()).toEqual(['members-vault', 'public-running']);
  });
});

describe('ranking and pages', () => {
  it('ranks by relevance (a title match first), then newer before older', () => {
    const order = slugs(open(archive), ANONYMOUS, 'caching');
    expect(order[0]).toBe('title-caching');
    expect(order.indexOf('new-caching')).toBeLessThan(order.indexOf('old-caching'));
  });

  it('pages through results in bounds', () => {
    const many = Array.from({ length: 25 }, (_, i) =>
      record(`a${String(i).padStart(2, '0')}`, {
        publicText: 'common word',
        pubDate: new Date(Date.UTC(2026, 0, i + 1)),
      }),
    );
    const index = open(many);
    const first = run(index, ANONYMOUS, 'common');
    expect([first.total, first.pages, first.hits.length]).toEqual([25, 3, 10]);
    expect(first.hits[0]!.slug).toBe('a24');
    expect(run(index, ANONYMOUS, 'common', 3).hits.map((h) => h.slug)).toEqual(['a04', 'a03', 'a02', 'a01', 'a00']);
    expect(run(index, ANONYMOUS, 'common', 4).hits).toEqual([]);
  });

  it('leaves out articles whose date has not come', () => {
    const index = open([record('later', { publicText: 'future', pubDate: new Date('2030-01-01T00:00:00Z') })]);
    expect(run(index, ANONYMOUS, 'future', 1, new Date('2029-01-01T00:00:00Z')).total).toBe(0);
    expect(run(index, ANONYMOUS, 'future', 1, new Date('2031-01-01T00:00:00Z')).total).toBe(1);
  });
});

describe('handleSearch', () => {
  const index = open(archive);
  const params = (raw: string) => new URLSearchParams(raw);

  it('answers bad input with a 4xx page and the shared cache class only without member text', () => {
    expect(handleSearch(params(''), ANONYMOUS, index)).toMatchObject({ status: 200, view: { kind: 'form' } });
    expect(handleSearch(params(`q=${'a'.repeat(1000)}`), ANONYMOUS, index).status).toBe(400);
    expect(handleSearch(params('q=!!!'), ANONYMOUS, index).status).toBe(400);
    expect(handleSearch(params('q=%FF%FE'), ANONYMOUS, index).status).toBe(400);
    expect(handleSearch(params('q=caching&page=x'), ANONYMOUS, index).status).toBe(400);
    expect(handleSearch(params('q=caching&page=99999999999999999999'), ANONYMOUS, index).status).toBe(404);
    expect(handleSearch(params('q=caching'), ANONYMOUS, index).cacheClass).toBe('anonymousSearch');
    expect(handleSearch(params('q=caching'), member, index).cacheClass).toBe('private');
  });

  it('says search is unavailable when the index is missing', () => {
    const answer = handleSearch(params('q=caching'), ANONYMOUS, null);
    expect(answer.status).toBe(503);
    expect(answer.view).toMatchObject({ kind: 'message', title: 'Search is unavailable' });
  });
});

describe('snippetSegments', () => {
  it('splits marked text into plain and matched segments', () => {
    expect(snippetSegments(`a ${MATCH_START}b${MATCH_END} c`)).toEqual([
      { text: 'a ', match: false },
      { text: 'b', match: true },
      { text: ' c', match: false },
    ]);
  });

  it('keeps markup as text (the page escapes it) and drops stray markers', () => {
    expect(snippetSegments(`<b>${MATCH_END}x${MATCH_START}`)).toEqual([{ text: '<b>x', match: false }]);
  });

  it('cuts to the character bound with an ellipsis', () => {
    const segments = snippetSegments(`${'x'.repeat(50)}${MATCH_START}${'y'.repeat(50)}${MATCH_END}`, 60);
    expect(text(segments).length).toBeLessThanOrEqual(60);
    expect(text(segments).endsWith('…')).toBe(true);
    expect(segments[1]!.match).toBe(true);
  });
});

describe('index text', () => {
  it('is the plain text of the HTML: entities decoded, blocks apart, scripts, comments and markers gone', () => {
    expect(
      htmlToText(
        `<h2>Fish &amp; chips</h2><p>one<em>two</em></p><script>evil()</script><!-- c --><p>x${MATCH_START}y</p>`,
      ),
    ).toBe('Fish & chips onetwo x y');
  });

  it('comes from the data store: previews for everyone, the part after the marker as member text, drafts out', () => {
    const entry = (id: string, access: string, html: string, draft = false, marker = access !== 'public') => ({
      id,
      data: { access, draft, pubDate: new Date('2026-01-01T00:00:00Z'), title: id, description: 'd', tags: ['t'] },
      // The loader stamps whether the Markdown had a marker; the member text is cut where it cut the preview.
      rendered: { html, metadata: { gatepostMarker: marker } },
    });
    const store = new Map([
      [
        'articles',
        new Map([
          ['open', entry('open', 'public', '<p>open body</p>')],
          ['gated', entry('gated', 'premium', '<p>teaser</p>')],
        ]),
      ],
      [
        'memberBodies',
        new Map([['gated', entry('gated', 'premium', '<p>teaser</p>\n<!-- members-only -->\n<p>secret</p>')]]),
      ],
    ]);
    const records = searchRecords(parseDataStore(stringify(store)));
    expect(records.map((r) => [r.slug, r.publicText, r.memberText])).toEqual([
      ['open', 'open body', ''],
      ['gated', 'teaser', 'secret'],
    ]);
    const missing = new Map([['articles', new Map([['gated', entry('gated', 'premium', '<p>teaser</p>')]])]]);
    expect(() => searchRecords(missing)).toThrow('no members-only body stored for "gated"');
  });
});

describe('every result is one article: its title, link and snippet (fast-check, issue 19)', () => {
  const POOL = ['cache', 'cookie', 'font', 'image', 'layout', 'paywall', 'reader', 'session', 'signal', 'token'];
  const words = (max: number) => fc.array(fc.constantFrom(...POOL), { minLength: 0, maxLength: max });
  const corpus = fc
    .array(
      fc.record({
        access: fc.constantFrom('public', 'members', 'premium'),
        title: words(4),
        description: words(6),
        publicText: words(30),
        memberText: words(30),
      }),
      { minLength: 1, maxLength: 12 },
    )
    .map((articles) =>
      articles.map((a, i): SearchRecord =>
        record(`a${i}`, {
          access: a.access,
          // Every title differs (a number of its own), so a result showing another article's title shows.
          title: [...a.title, `no${i}`].join(' '),
          description: a.description.join(' '),
          publicText: a.publicText.join(' '),
          memberText: a.access === 'public' ? '' : a.memberText.join(' '),
        }),
      ),
    );
  const query = fc
    .array(fc.constantFrom(...POOL), { minLength: 1, maxLength: 2 })
    .chain((terms) => fc.boolean().map((or) => terms.join(or ? ' OR ' : ' ')));
  const readers: [string, Viewer][] = [
    ['anonymous', ANONYMOUS],
    ['member', member],
    ['premium', premium],
  ];
  const allows = (viewer: Viewer, access: string) =>
    access === 'public' || (access === 'members' && viewer !== ANONYMOUS) || viewer === premium;

  it('for generated archives, queries and readers', () => {
    fc.assert(
      fc.property(corpus, fc.array(query, { minLength: 1, maxLength: 4 }), (records, queries) => {
        const index = open(records);
        try {
          for (const q of queries) {
            for (const [name, viewer] of readers) {
              for (const hit of run(index, viewer, q).hits) {
                const own = records.find((r) => r.slug === hit.slug)!;
                const label = `${name} "${q}" → ${hit.slug}`;
                expect(text(hit.titleSegments), label).toBe(own.title);
                expect(hit.path, label).toBe(`/${own.access === 'public' ? 'articles' : 'members'}/${own.slug}/`);
                // Every piece of the snippet is text of this article the reader may read.
                const body = allows(viewer, own.access)
                  ? [own.publicText, own.memberText].filter(Boolean).join(' ')
                  : own.publicText;
                for (const piece of text(hit.snippet)
                  .split('…')
                  .map((p) => p.trim())
                  .filter(Boolean)) {
                  expect(body.includes(piece) || own.description.includes(piece), `${label}: "${piece}"`).toBe(true);
                }
              }
            }
          }
        } finally {
          index.close();
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 200) },
    );
  });
});

describe('the index kept between builds', () => {
  const entry = (id: string, html: string, extra: Record<string, unknown> = {}) => ({
    id,
    data: { access: 'public', draft: false, pubDate: new Date('2026-01-01T00:00:00Z'), title: id, tags: [], ...extra },
    rendered: { html, metadata: {} },
  });
  const storeText = (...entries: ReturnType<typeof entry>[]) =>
    stringify(new Map([['articles', new Map(entries.map((e) => [e.id, e]))]]));

  let site = 0;
  /** A scratch project: its data store, its kept folder, and a build's output file per call. */
  function project(options: { code?: string | undefined } = {}) {
    const code = 'code' in options ? options.code : 'code v1';
    const root = join(dir, `kept-${site++}`);
    const storeFile = join(root, 'data-store.json');
    const keptDir = join(root, 'kept');
    mkdirSync(root, { recursive: true });
    const parsed: string[] = [];
    let build = 0;
    const place = (over: Partial<KeptIndexOptions> = {}) => {
      const file = join(root, `dist-${build++}`, 'search-index.sqlite');
      mkdirSync(dirname(file), { recursive: true });
      const placed = placeSearchIndex({
        storeFile,
        file,
        keptDir,
        code,
        records: (text) => {
          parsed.push(text);
          return recordsOfStore(text);
        },
        ...over,
      });
      return { ...placed, file };
    };
    const write = (text: string) => writeFileSync(storeFile, text);
    const keptIndex = () => readdirSync(keptDir).filter((name) => name.endsWith('.sqlite'));
    return { place, write, parsed, keptDir, keptIndex, root };
  }
  const found = (file: string, q: string) => {
    const index = new SearchIndex(file);
    try {
      return slugs(index, ANONYMOUS, q);
    } finally {
      index.close();
    }
  };

  it('same data store bytes: the kept index, linked, without parsing the store', () => {
    const p = project();
    p.write(storeText(entry('one', '<p>walrus</p>')));
    const first = p.place();
    expect(first).toMatchObject({ source: 'built', articles: 1 });
    expect(p.parsed).toHaveLength(1);
    const second = p.place();
    expect(second).toMatchObject({ source: 'store', placed: 'linked', articles: 1 });
    expect(p.parsed).toHaveLength(1);
    expect(statSync(second.file).ino).toBe(statSync(join(p.keptDir, p.keptIndex()[0]!)).ino);
    expect(found(second.file, 'walrus')).toEqual(['one']);
  });

  it('a changed data store: parsed, and the index built anew when its records changed', () => {
    const p = project();
    p.write(storeText(entry('one', '<p>walrus</p>')));
    p.place();
    p.write(storeText(entry('one', '<p>narwhal</p>')));
    const changed = p.place();
    expect(changed.source).toBe('built');
    expect(p.parsed).toHaveLength(2);
    expect(found(changed.file, 'narwhal')).toEqual(['one']);
    expect(found(changed.file, 'walrus')).toEqual([]);
    expect(p.keptIndex()).toHaveLength(1);
  });

  it('a changed data store with the same records: parsed, the kept index reused, then found by the new bytes', () => {
    const p = project();
    p.write(storeText(entry('one', '<p>walrus</p>')));
    p.place();
    // A field the index does not hold.
    p.write(storeText(entry('one', '<p>walrus</p>', { cover: 'cover.png' })));
    expect(p.place().source).toBe('records');
    expect(p.parsed).toHaveLength(2);
    expect(p.place().source).toBe('store');
    expect(p.parsed).toHaveLength(2);
  });

  it('changed indexing code: the store is parsed and the index built again', () => {
    const p = project({ code: 'code v1' });
    p.write(storeText(entry('one', '<p>walrus</p>')));
    const base = { storeFile: join(p.root, 'data-store.json'), keptDir: p.keptDir };
    expect(p.place().source).toBe('built');
    const file = join(p.root, 'other', 'search-index.sqlite');
    mkdirSync(dirname(file), { recursive: true });
    expect(placeSearchIndex({ ...base, file, code: 'code v2' }).source).toBe('built');
  });

  it('without a fingerprint of the code, never reused by the store bytes alone', () => {
    const p = project({ code: undefined });
    p.write(storeText(entry('one', '<p>walrus</p>')));
    expect(p.place().source).toBe('built');
    expect(p.place().source).toBe('records');
    expect(p.parsed).toHaveLength(2);
  });

  it('records that depended on the clock (a stored article not yet published): no reuse by the store bytes', () => {
    const p = project();
    p.write(
      storeText(entry('one', '<p>walrus</p>'), entry('later', '<p>soon</p>', { pubDate: new Date('2999-01-01') })),
    );
    expect(p.place()).toMatchObject({ source: 'built', articles: 1 });
    expect(p.place().source).toBe('records');
    expect(p.parsed).toHaveLength(2);
  });

  it('copies when linking fails (another file system)', () => {
    const p = project();
    p.write(storeText(entry('one', '<p>walrus</p>')));
    const crossDevice = () => {
      throw Object.assign(new Error('EXDEV: cross-device link not permitted'), { code: 'EXDEV' });
    };
    const built = p.place({ link: crossDevice });
    expect(built).toMatchObject({ source: 'built', placed: 'copied' });
    const kept = join(p.keptDir, p.keptIndex()[0]!);
    expect(statSync(built.file).ino).not.toBe(statSync(kept).ino);
    const reused = p.place({ link: crossDevice });
    expect(reused).toMatchObject({ source: 'store', placed: 'copied' });
    expect(statSync(reused.file).ino).not.toBe(statSync(kept).ino);
    expect(readFileSync(reused.file)).toEqual(readFileSync(kept));
  });

  it('never writes an index in place: a build over a linked index leaves the kept and earlier ones whole', () => {
    const p = project();
    p.write(storeText(entry('one', '<p>walrus</p>')));
    const file = join(p.root, 'dist', 'search-index.sqlite');
    mkdirSync(dirname(file), { recursive: true });
    const options = { storeFile: join(p.root, 'data-store.json'), keptDir: p.keptDir, code: 'v1', file };
    placeSearchIndex(options);
    // An earlier release still serving that index.
    const earlier = join(p.root, 'earlier.sqlite');
    linkSync(file, earlier);
    const before = readFileSync(earlier);
    expect(placeSearchIndex(options).source).toBe('store');
    expect(readdirSync(dirname(file))).toEqual(['search-index.sqlite']);
    p.write(storeText(entry('one', '<p>narwhal</p>')));
    expect(placeSearchIndex(options).source).toBe('built');
    expect(readFileSync(earlier)).toEqual(before);
    expect(found(earlier, 'walrus')).toEqual(['one']);
    expect(found(file, 'narwhal')).toEqual(['one']);
    expect(readdirSync(dirname(file))).toEqual(['search-index.sqlite']);
  });
});

describe('the fingerprint of the indexing code', () => {
  it('covers every local module the integration imports, transitively', () => {
    const { modules } = codeImports(fileURLToPath(new URL('../../src/search/integration.ts', import.meta.url)));
    const names = modules.map((file) => relative(fileURLToPath(new URL('../../src/', import.meta.url)), file));
    for (const name of [
      'search/records.ts',
      'search/text.ts',
      'search/build.ts',
      'search/schema.ts',
      'articles/marker.ts',
    ]) {
      expect(names).toContain(name);
    }
  });

  it('changes with any imported module and with the installed packages; unknown without them', () => {
    const root = join(dir, 'fingerprint');
    mkdirSync(join(root, 'node_modules'), { recursive: true });
    mkdirSync(join(root, 'src', 'lib'), { recursive: true });
    const write = (path: string, text: string) => writeFileSync(join(root, path), text);
    write(
      'src/entry.ts',
      "import { a } from './lib/a';\nimport 'node:fs';\n// see from './missing'\nexport const b = a;\n",
    );
    write('src/lib/a.ts', "export { c as a } from './c.js';\n");
    write('src/lib/c.ts', 'export const c = 1;\n');
    write('src/unrelated.ts', 'export const u = 1;\n');
    const entry = join(root, 'src', 'entry.ts');
    expect(codeFingerprint(entry)).toBeUndefined();
    write('node_modules/.package-lock.json', '{"packages":{}}');
    expect(codeImports(entry).modules.map((file) => relative(root, file))).toEqual([
      'src/entry.ts',
      'src/lib/a.ts',
      'src/lib/c.ts',
    ]);
    const first = codeFingerprint(entry);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    write('src/unrelated.ts', 'export const u = 2;\n');
    expect(codeFingerprint(entry)).toBe(first);
    write('src/lib/c.ts', 'export const c = 2;\n');
    const second = codeFingerprint(entry);
    expect(second).not.toBe(first);
    write('node_modules/.package-lock.json', '{"packages":{"x":{}}}');
    expect(codeFingerprint(entry)).not.toBe(second);
  });

  it('is unknown when an imported module names code by an alias it cannot follow; packages and Node are fine', () => {
    const root = join(dir, 'fingerprint-alias');
    mkdirSync(join(root, 'node_modules', '@scope', 'pkg'), { recursive: true });
    mkdirSync(join(root, 'node_modules', 'plain'), { recursive: true });
    mkdirSync(join(root, 'src', 'lib'), { recursive: true });
    const write = (path: string, text: string) => writeFileSync(join(root, path), text);
    write('node_modules/.package-lock.json', '{"packages":{}}');
    write('src/entry.ts', "import { a } from './lib/a';\nexport const b = a;\n");
    const packagesOnly =
      "import { x } from '@scope/pkg/sub/path';\nimport y from 'plain';\nimport { readFileSync } from 'node:fs';\n" +
      "import { join } from 'path';\nexport const a = [x, y, readFileSync, join];\n";
    write('src/lib/a.ts', packagesOnly);
    const entry = join(root, 'src', 'entry.ts');
    expect(codeImports(entry).bare).toEqual(['@scope/pkg/sub/path', 'node:fs', 'path', 'plain']);
    expect(codeFingerprint(entry)).toMatch(/^[0-9a-f]{64}$/);
    // A tsconfig `paths` alias to src/lib: an edit there would not change a fingerprint that ignored it.
    write('src/lib/a.ts', `${packagesOnly}export { c } from '@/lib/c';\n`);
    expect(codeFingerprint(entry)).toBeUndefined();
    write('src/lib/a.ts', `${packagesOnly}export const c = await import('virtual:thing');\n`);
    expect(codeFingerprint(entry)).toBeUndefined();
  });
});
