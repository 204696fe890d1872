/**
 * A fingerprint of the code that turns the content data store into the search index, so that the index
 * kept by the store's bytes (./kept.ts) is built again whenever that code changes, with no version to
 * bump by hand: the bytes of every local module the entry imports, transitively, plus the installed
 * packages (npm's record of node_modules, `node_modules/.package-lock.json`) and Node's own versions
 * (node:sqlite is Node's SQLite).
 *
 * Over-counting is harmless (a change to a file that cannot change the index only costs one rebuild);
 * under-counting would serve a stale index, so whatever cannot be read, and any import that is neither
 * relative nor Node's nor an installed package (a path alias, a virtual module), makes the fingerprint
 * unknown, and the caller then never reuses an index by the store's bytes alone.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, resolve } from 'node:path';

/** Specifiers of static imports, re-exports, side-effect and dynamic imports. */
const SPECIFIERS = /\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(?\s*['"]([^'"]+)['"]/g;

const isRelative = (specifier: string) => /^\.{1,2}\//.test(specifier);

const isFile = (path: string) => existsSync(path) && statSync(path).isFile();

/** The file a relative specifier names, as Vite resolves TypeScript sources; undefined when none exists. */
function resolveLocal(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  const candidates = [
    base,
    `${base}.ts`,
    `${base}.tsx`,
    `${base}.mts`,
    `${base}.js`,
    `${base}.mjs`,
    join(base, 'index.ts'),
  ];
  // TypeScript lets `./x.js` name `./x.ts`.
  if (/\.m?js$/.test(base)) candidates.push(base.replace(/\.(m?)js$/, '.$1ts'));
  return candidates.find(isFile);
}

export interface CodeImports {
  /** `entry` and every local module it imports, transitively, sorted. */
  modules: string[];
  /**
   * What those modules import that is not a relative path, sorted: Node's own modules and packages,
   * which the fingerprint covers through Node's versions and npm's record, or anything else.
   */
  bare: string[];
}

/** What `entry`'s code is made of, read once per module. Exported for unit tests. */
export function codeImports(entry: string): CodeImports {
  const seen = new Set<string>();
  const bare = new Set<string>();
  const pending = [resolve(entry)];
  while (pending.length) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(SPECIFIERS)) {
      const specifier = (match[1] ?? match[2])!;
      if (!isRelative(specifier)) {
        bare.add(specifier);
        continue;
      }
      // A relative specifier that names no file (in a comment, say) imports nothing the build could run.
      const found = resolveLocal(file, specifier);
      if (found && !seen.has(found)) pending.push(found);
    }
  }
  return { modules: [...seen].sort(), bare: [...bare].sort() };
}

/** The package a bare specifier names: `@scope/name` or `name`, without a path inside it. */
const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/** npm's record of what is installed, in the nearest node_modules above `dir`. */
function installedPackages(dir: string): string | undefined {
  for (let at = resolve(dir); ; at = dirname(at)) {
    const file = join(at, 'node_modules', '.package-lock.json');
    if (isFile(file)) return file;
    if (dirname(at) === at) return undefined;
  }
}

/** The fingerprint of `entry`'s code and of the packages and Node it runs on; undefined when unknown. */
export function codeFingerprint(entry: string): string | undefined {
  try {
    const packages = installedPackages(dirname(entry));
    if (!packages) return undefined;
    const { modules, bare } = codeImports(entry);
    // Anything else (a path alias of tsconfig or Vite, a virtual module) names code this fingerprint
    // would not follow: an edit there could not change the fingerprint, so it is unknown instead.
    const nodeModules = dirname(packages);
    const unknown = bare.filter(
      (specifier) => !isBuiltin(specifier) && !existsSync(join(nodeModules, packageOf(specifier))),
    );
    if (unknown.length) return undefined;
    const hash = createHash('sha256').update(`node ${JSON.stringify(process.versions)}\0`);
    for (const file of [...modules, packages]) {
      const bytes = readFileSync(file);
      // Paths relative to nothing: a copy of the project elsewhere has the same fingerprint.
      hash.update(`${bytes.length}\0`).update(bytes);
    }
    return hash.digest('hex');
  } catch {
    return undefined;
  }
}
