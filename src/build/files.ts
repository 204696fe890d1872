/** Every file below a folder of the build output (symbolic links followed), for the checks run after a build. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}
