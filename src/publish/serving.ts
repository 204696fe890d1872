/**
 * The articles a build holds: the published articles it was built with, read from its search index
 * (every published article has a row there: src/search/build.ts). This is what readers of a server
 * running that build can see, whatever the source folder says since. Plain TypeScript, no Astro: the
 * cluster primary (automatic publishing, ./auto-publish.ts) and other features that act when the serving
 * build changes (newsletters: issue 21) read it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { SEARCH_INDEX_FILE } from '../search/schema.ts';
import { currentRelease, readServing } from './releases.ts';

export interface HeldArticle {
  slug: string;
  access: string;
  title: string;
  pubDate: Date;
}

/** The published articles of the build whose server folder (dist/server, releases/<id>/server) is `serverDir`, newest first. */
export function articlesHeldBy(serverDir: string): HeldArticle[] {
  const file = join(serverDir, SEARCH_INDEX_FILE);
  if (!existsSync(file)) throw new Error(`${file}: no search index, so not a complete build`);
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const rows = db.prepare('SELECT slug, access, title, pub_ms FROM articles ORDER BY pub_ms DESC, slug').all() as {
      slug: string;
      access: string;
      title: string;
      pub_ms: number | bigint;
    }[];
    return rows.map((row) => ({
      slug: row.slug,
      access: row.access,
      title: row.title,
      pubDate: new Date(Number(row.pub_ms)),
    }));
  } finally {
    db.close();
  }
}

/**
 * The articles the serving build holds: the release the running server reports it serves (falling back
 * to `current` when no server has reported), with that release's id; undefined without any release.
 */
export function servingArticles(releasesDir: string): { release: string; articles: HeldArticle[] } | undefined {
  const release = readServing(releasesDir)?.release ?? currentRelease(releasesDir);
  if (!release) return undefined;
  return { release, articles: articlesHeldBy(join(releasesDir, release, 'server')) };
}
