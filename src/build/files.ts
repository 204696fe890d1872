/** Every file below a folder of the build output (symbolic links followed), for the checks run after a build. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function listFiles(dir: string): string[] {
  // The entries' types come with the listing: only a symbolic link needs a stat of its own (tens of
  // thousands of stats were most of a large site's server start-up, docs/performance.md "Publishing").
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    const isDirectory = entry.isSymbolicLink() ? statSync(path).isDirectory() : entry.isDirectory();
    return isDirectory ? listFiles(path) : [path];
  });
}
