import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface Leak {
  file: string;
  needle: string;
}

export function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listFiles(path));
    else out.push(path);
  }
  return out;
}

/**
 * Every file under `dir` (any type: HTML, XML, JS, maps, images' metadata…) searched for every needle.
 * Files are read as UTF-8 and as Latin-1, so text inside binary files is found as well.
 */
export function scanForLeaks(dir: string, needles: readonly string[], filter: (file: string) => boolean = () => true) {
  const leaks: Leak[] = [];
  const files = listFiles(dir).filter(filter);
  for (const file of files) {
    const buffer = readFileSync(file);
    const text = buffer.toString('utf8');
    const latin = buffer.toString('latin1');
    for (const needle of needles) {
      if (text.includes(needle) || latin.includes(needle)) leaks.push({ file: relative(dir, file), needle });
    }
  }
  return { leaks, filesScanned: files.length };
}

/**
 * The server files allowed to hold members-only text, never served to browsers: the content data store
 * (Astro's data layer, read at run time by its data module; see src/articles/data-file.ts),
 * which gated pages render from, and the search index built from it (src/search/), which searches that
 * text only for readers allowed to read it.
 */
export function isContentDataModule(file: string): boolean {
  return /[\\/]server[\\/]chunks[\\/]content-data-store\.json$/.test(file);
}

export function isSearchIndex(file: string): boolean {
  return /[\\/]server[\\/]search-index\.sqlite$/.test(file);
}

export function isServerOnlyMemberData(file: string): boolean {
  return isContentDataModule(file) || isSearchIndex(file);
}
