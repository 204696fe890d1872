/**
 * Cold build time and peak memory for generated sites of N articles: realistic ~4 KB Markdown articles
 * (valid frontmatter, a mix of public, members and premium with the members-only marker in gated ones)
 * in a scratch copy of the project, `rm -rf .cache dist`, then a timed `astro build`.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchProject, timedBuild } from './common.ts';
import { listFiles } from '../../../src/build/files.ts';
import { ARTICLES_DIR } from '../../../src/articles/folder.ts';

const TAGS = [
  'css',
  'typography',
  'accessibility',
  'performance',
  'astro',
  'publishing',
  'newsletters',
  'security',
  'design-systems',
  'editorial',
  'analytics',
  'pricing',
  'fonts',
  'images',
  'javascript',
  'privacy',
  'seo',
  'workflow',
  'testing',
  'hosting',
];
const AUTHORS = ['Maren Okafor', 'Tomás Rivera', 'Ines Bauer', 'Kwame Mensah', 'Yuki Tanaka', 'Priya Nair'];
const WORDS = (
  'the reader page article editor layout server static member budget script font image cache request ' +
  'response header paywall preview build content design system grid card column width query contrast ' +
  'focus style token session plan price subscriber newsletter archive feed sitemap link heading table ' +
  'measure number figure test review draft publish schedule team desk policy access tier level'
).split(' ');

/** A small deterministic PRNG so every run generates the same site. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

export function article(i: number, total: number): string {
  const r = rng(i + 1);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const sentence = (n: number) => {
    const w = Array.from({ length: n }, () => pick(WORDS));
    return `${w[0]!.charAt(0).toUpperCase()}${w[0]!.slice(1)} ${w.slice(1).join(' ')}.`;
  };
  const paragraph = () =>
    Array.from({ length: 5 + Math.floor(r() * 3) }, () => sentence(8 + Math.floor(r() * 8))).join(' ');
  const access = i % 10 < 6 ? 'public' : i % 10 < 8 ? 'members' : 'premium';
  const day = new Date(Date.UTC(2026, 9, 1) - Math.floor((i * 86_400_000 * 3650) / total));
  const tags = [...new Set([pick(TAGS), pick(TAGS), pick(TAGS)])];
  const title = `${sentence(4 + Math.floor(r() * 4)).replace(/\.$/, '')} (${i + 1})`;
  const body: string[] = [paragraph(), paragraph()];
  if (access !== 'public') body.push('<!-- members-only -->');
  body.push(`## ${sentence(4).replace(/\.$/, '')}`, paragraph(), paragraph());
  body.push('- ' + sentence(6), '- ' + sentence(7), '- ' + sentence(5));
  body.push('```css\n.card-slot {\n  container: card / inline-size;\n}\n```');
  body.push(
    `## ${sentence(3).replace(/\.$/, '')}`,
    paragraph(),
    `> ${sentence(12)}`,
    paragraph(),
    paragraph(),
    paragraph(),
  );
  return [
    '---',
    `title: ${JSON.stringify(title)}`,
    `description: ${JSON.stringify(sentence(14 + Math.floor(r() * 8)))}`,
    `pubDate: ${day.toISOString().slice(0, 10)}`,
    `author: ${JSON.stringify(pick(AUTHORS))}`,
    `tags: [${tags.join(', ')}]`,
    `access: ${access}`,
    ...(i === 0 ? ['featured: true'] : []),
    '---',
    '',
    body.join('\n\n'),
    '',
  ].join('\n');
}

export interface ScaleRow {
  articles: number;
  seconds: number;
  peakRssMB: number;
  pages: number;
  avgArticleKB: number;
  /** The search index step, as the build logs it (src/search/integration.ts). */
  searchIndexMs?: number;
  searchIndexKB?: number;
}

export async function runBuildScale(sizes: number[]): Promise<ScaleRow[]> {
  const rows: ScaleRow[] = [];
  for (const n of sizes) {
    const dir = scratchProject(`scale-${n}`);
    const articles = join(dir, ARTICLES_DIR);
    rmSync(articles, { recursive: true, force: true });
    mkdirSync(articles, { recursive: true });
    let bytes = 0;
    for (let i = 0; i < n; i++) {
      const text = article(i, n);
      bytes += Buffer.byteLength(text);
      writeFileSync(join(articles, `generated-article-${String(i + 1).padStart(5, '0')}.md`), text);
    }
    rmSync(join(dir, '.cache'), { recursive: true, force: true });
    rmSync(join(dir, 'dist'), { recursive: true, force: true });
    const build = await timedBuild(dir);
    if (!build.ok) throw new Error(`build of ${n} articles failed:\n${build.output.slice(-4000)}`);
    const pages = countHtml(join(dir, 'dist/client'));
    const indexed = /article\(s\) indexed in (\d+) ms \((\d+) KiB\)/.exec(build.output);
    rows.push({
      articles: n,
      seconds: build.seconds,
      peakRssMB: build.peakRssMB,
      pages,
      avgArticleKB: bytes / n / 1024,
      ...(indexed && { searchIndexMs: Number(indexed[1]), searchIndexKB: Number(indexed[2]) }),
    });
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

function countHtml(dir: string): number {
  return listFiles(dir).filter((path) => path.endsWith('.html')).length;
}
