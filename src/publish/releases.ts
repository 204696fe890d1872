/**
 * Release directories (issue 25): `npm run publish` (tools/publish.ts) builds each release into
 * `releases/<id>/` (a whole `dist/`: client/ and server/) inside the project, so the server program finds
 * node_modules as dist/ does; `releases/current` is a symbolic link to the release that serves. The
 * server started from `releases/current/server/gatepost.mjs` runs a cluster primary that switches its
 * workers to whatever `current` names when it gets SIGHUP (src/server/cluster.ts) and reports which
 * release it serves in `releases/serving.json`.
 *
 * Plain file-system functions, no Astro: shared by the command and the server.
 */
import {
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SERVER_PROGRAM } from '../server/program.ts';

/** The folder, inside the project, that holds the releases. */
export const RELEASES_DIR = 'releases';
/** The link to the release that serves (or is to serve after the next SIGHUP). */
export const CURRENT_LINK = 'current';
/** Written by the serving primary: its pid, so the command can signal it. */
export const PID_FILE = 'server.pid';
/** Held by the `npm run publish` that runs (tools/publish.ts): one at a time. */
export const LOCK_FILE = 'publish.lock';
/** Written by the serving primary after each switch: `ServingState`. */
export const SERVING_FILE = 'serving.json';
/**
 * Set (to `1`) by `npm run publish` for the server it starts to check a new release: that process serves
 * alone on its private port and leaves the releases folder to the server that serves (no pid file, no
 * serving state, no automatic publishing).
 */
export const RELEASE_CHECK_VARIABLE = 'GATEPOST_RELEASE_CHECK';
/**
 * Where `npm run publish` builds, before renaming the result to `releases/<id>/`. Always the same path:
 * Astro writes the output folder's absolute path into its `astro:assets` module, which every page
 * imports, so a build into a new folder each time changes every page's dependency hash and the
 * incremental build could restore none of them. The built program finds its files relative to itself,
 * so the renamed release runs as built.
 */
export const BUILD_DIR = 'building';
/** Releases kept besides the current one, unless GATEPOST_KEEP_RELEASES says otherwise. */
export const DEFAULT_KEEP = 4;

export interface ServingState {
  /** The release the workers run, or null when they run a build outside the releases folder. */
  release: string | null;
  pid: number;
  workers: number;
  /** When the last switch (or the start) finished, ms since the epoch. */
  at: number;
  /** The last switch's outcome: 'started' at start, 'switched', or 'failed: <why>'. */
  outcome: string;
  /** How long the last switch took, in ms (0 at start). */
  durationMs: number;
}

const RELEASE_ID = /^\d{8}T\d{6}Z(-\d+)?$/;

/** A new release id, sortable by time: 20261205T141500Z (with a suffix if taken). */
export function newReleaseId(releasesDir: string, now = new Date()): string {
  const base = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  let id = base;
  for (let n = 2; existsSync(join(releasesDir, id)); n++) id = `${base}-${n}`;
  return id;
}

/** Every complete release (one holding the server program), oldest first. */
export function listReleases(releasesDir: string): string[] {
  if (!existsSync(releasesDir)) return [];
  return readdirSync(releasesDir)
    .filter((name) => RELEASE_ID.test(name) && existsSync(join(releasesDir, name, SERVER_PROGRAM)))
    .sort();
}

/** The release `current` links to, or undefined. */
export function currentRelease(releasesDir: string): string | undefined {
  try {
    return basename(readlinkSync(join(releasesDir, CURRENT_LINK)));
  } catch {
    return undefined;
  }
}

/** Points `current` at `id` atomically (a new link renamed over the old one). */
export function setCurrent(releasesDir: string, id: string): void {
  const temporary = join(releasesDir, `${CURRENT_LINK}.tmp`);
  rmSync(temporary, { force: true });
  symlinkSync(id, temporary, 'dir');
  renameSync(temporary, join(releasesDir, CURRENT_LINK));
}

/** The release before `id` (the one a rollback returns to), or undefined. */
export function previousRelease(releasesDir: string, id: string): string | undefined {
  return listReleases(releasesDir)
    .filter((name) => name < id)
    .at(-1);
}

/**
 * Removes the oldest releases beyond `keep`, never `current` nor the one serving. Returns the removed.
 */
export function pruneReleases(
  releasesDir: string,
  keep: number,
  protect: readonly (string | null | undefined)[],
): string[] {
  const releases = listReleases(releasesDir);
  const removable = releases.slice(0, Math.max(0, releases.length - keep - 1)).filter((id) => !protect.includes(id));
  for (const id of removable) rmSync(join(releasesDir, id), { recursive: true, force: true });
  return removable;
}

/**
 * The releases folder a server program runs from, when it runs from one: the program's real path is
 * `<releases>/<id>/server/gatepost.mjs` and `<releases>/current` exists. Undefined otherwise (dist/).
 */
export function releasesDirOfProgram(programFile: string): string | undefined {
  const releaseDir = dirname(dirname(programFile));
  const releasesDir = dirname(releaseDir);
  if (!RELEASE_ID.test(basename(releaseDir)) || basename(releasesDir) !== RELEASES_DIR) return undefined;
  try {
    return lstatSync(join(releasesDir, CURRENT_LINK)).isSymbolicLink() ? releasesDir : undefined;
  } catch {
    return undefined;
  }
}

/** The server program of a release. */
export function releaseProgram(releasesDir: string, id: string): string {
  return join(releasesDir, id, SERVER_PROGRAM);
}

export function readServing(releasesDir: string): ServingState | undefined {
  try {
    return JSON.parse(readFileSync(join(releasesDir, SERVING_FILE), 'utf8')) as ServingState;
  } catch {
    return undefined;
  }
}

export function writeServing(releasesDir: string, state: ServingState): void {
  const file = join(releasesDir, SERVING_FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state)}\n`);
  renameSync(`${file}.tmp`, file);
}

/** Whether `pid` names a live process. */
export function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid of the serving primary, if the pid file names a live process. */
export function servingPid(releasesDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(releasesDir, PID_FILE), 'utf8').trim());
    return isRunning(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}
