/** File-system helpers for the build output: listing it, and placing files into it without copying. */
import { copyFileSync, linkSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every file below a folder of the build output (symbolic links followed), for the checks run after a build. */
export function listFiles(dir: string): string[] {
  // The entries' types come with the listing: only a symbolic link needs a stat of its own (a stat per
  // file was most of a large site's server start-up, docs/performance.md "Publishing").
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    const isDirectory = entry.isSymbolicLink() ? statSync(path).isDirectory() : entry.isDirectory();
    return isDirectory ? listFiles(path) : [path];
  });
}

/**
 * Puts `existing` at `target` as a hard link, replacing a file already there, or as a copy where links
 * are not possible (another file system). Only for files nothing writes in place: whoever replaces one
 * renames a new file over it, so a link keeps the bytes it was made with. Throws ENOENT when `existing`
 * (or `target`'s folder) does not exist. `link` is node:fs `linkSync` (tests make it fail).
 */
export function linkOrCopy(
  existing: string,
  target: string,
  link: (existing: string, target: string) => void = linkSync,
): 'linked' | 'copied' {
  try {
    link(existing, target);
    return 'linked';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw error;
    // What is at `target` goes first: copying over it would write into a file that may be linked elsewhere.
    rmSync(target, { force: true });
    if (code === 'EEXIST') {
      try {
        link(existing, target);
        return 'linked';
      } catch {
        // Copied below.
      }
    }
    copyFileSync(existing, target);
    return 'copied';
  }
}
