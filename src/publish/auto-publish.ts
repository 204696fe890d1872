/**
 * Scheduled articles go live by themselves (issue 25, point 3): on a server started from a release
 * (src/publish/releases.ts) whose project still has the articles folder, the cluster primary wakes at
 * the next scheduled `pubDate` (and at least every GATEPOST_AUTO_PUBLISH_CHECK_SECONDS, default 60, to
 * see new or changed files), and when the folder says an article is published that the serving build
 * does not hold, runs `npm run publish` (tools/publish.ts: build, check, switch). One run at a time. A
 * failed run is retried after a delay that doubles with each failure in a row (`retryDelaySeconds`),
 * and at once when a file of the folder changes (the likely fix); a success ends the backoff. What it
 * did is written to releases/auto-publish.json (`AutoPublishState`), which the editor desk shows. Without the folder (a build made elsewhere, e.g. in
 * CI), nothing runs: docs/deploy.md ("Builds made elsewhere") gives that workflow.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { listArticleFiles } from '../articles/source/reader';
import { sourceSchedule } from './schedule';
import { servingArticles } from './serving';

/** The state file, in the releases folder. */
export const AUTO_PUBLISH_FILE = 'auto-publish.json';

export interface AutoPublishState {
  /** When the next scheduled article comes out (ISO), or null when none is scheduled. */
  next: string | null;
  /** The last automatic publish: when it started (ISO), how long it took, and its outcome. */
  last: { at: string; durationMs: number; outcome: 'published' | 'failed'; detail: string } | null;
  /** A publish is running now. */
  running: boolean;
  /** Failed automatic publishes in a row (0 after a success). */
  failures?: number;
  /**
   * After a failure: the earliest time (ISO) the next attempt runs, unless a file of the articles folder
   * changes first. Null when not backing off.
   */
  retryAt?: string | null;
}

/** The longest wait between two failed attempts. */
export const MAX_RETRY_SECONDS = 3600;

/**
 * How long to wait after `failures` failed publishes in a row: twice the check interval after the
 * first, doubling with each one after, at most MAX_RETRY_SECONDS (and never less than the interval).
 */
export function retryDelaySeconds(failures: number, checkSeconds: number): number {
  if (failures <= 0) return 0;
  return Math.max(checkSeconds, Math.min(checkSeconds * 2 ** Math.min(failures, 30), MAX_RETRY_SECONDS));
}

/** Each article file's name, size and modification time: changes when any file is edited, added or removed. */
function folderFingerprint(dir: string): string {
  return listArticleFiles(dir)
    .map((rel) => {
      const { size, mtimeMs } = statSync(join(dir, rel));
      return `${rel}\0${size}\0${mtimeMs}`;
    })
    .join('\n');
}

export function readAutoPublish(releasesDir: string): AutoPublishState | undefined {
  try {
    return JSON.parse(readFileSync(join(releasesDir, AUTO_PUBLISH_FILE), 'utf8')) as AutoPublishState;
  } catch {
    return undefined;
  }
}

function writeState(releasesDir: string, state: AutoPublishState): void {
  const file = join(releasesDir, AUTO_PUBLISH_FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state)}\n`);
  renameSync(`${file}.tmp`, file);
}

/**
 * Starts the schedule in this (primary) process when `articlesDir` exists; returns a stop function, or
 * undefined when there is nothing to watch.
 */
export function startAutoPublish(options: {
  releasesDir: string;
  articlesDir: string;
  checkSeconds: number;
  log: (msg: string, level?: 'info' | 'error') => void;
  /** Runs one publish; `npm run publish` (tools/publish.ts) in the project unless given (tests). */
  run?: () => Promise<{ code: number; output: string }>;
}): (() => void) | undefined {
  const { releasesDir, articlesDir, checkSeconds, log } = options;
  if (!existsSync(articlesDir)) {
    log(`automatic publishing off: no articles folder at ${articlesDir} (docs/deploy.md, "Scheduled articles")`);
    return undefined;
  }
  const projectRoot = dirname(releasesDir);
  let state: AutoPublishState = readAutoPublish(releasesDir) ?? { next: null, last: null, running: false };
  // A restart starts afresh: the new process may be what fixes the failure.
  state = { ...state, running: false, failures: 0, retryAt: null };
  /** The folder as it was when the last attempt failed. */
  let failedOn: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const schedule = (next: Date | undefined) => {
    if (stopped) return;
    const untilNext = next ? next.getTime() - Date.now() + 1000 : Infinity;
    const untilRetry = state.retryAt ? Date.parse(state.retryAt) - Date.now() : Infinity;
    // A scheduled time is acted on as it comes (plus a second, so the build sees it as past), a retry
    // when its wait ends, and the folder is looked at every check in between.
    timer = setTimeout(check, Math.max(0, Math.min(untilNext, untilRetry, checkSeconds * 1000)));
    timer.unref();
  };

  const publish =
    options.run ??
    (() =>
      new Promise<{ code: number; output: string }>((resolve) => {
        const child = spawn(process.execPath, [join(projectRoot, 'tools/publish.ts')], {
          cwd: projectRoot,
          env: process.env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2000));
        child.stdout.on('data', keep);
        child.stderr.on('data', keep);
        child.on('exit', (code) => resolve({ code: code ?? 1, output }));
      }));

  async function check() {
    let next: Date | undefined;
    try {
      const source = sourceSchedule(articlesDir);
      next = source.next;
      const held = new Set(servingArticles(releasesDir)?.articles.map((a) => a.slug) ?? []);
      const due = source.published.filter((slug) => !held.has(slug));
      state = { ...state, next: next?.toISOString() ?? null };
      if (state.retryAt && folderFingerprint(articlesDir) !== failedOn) {
        log('automatic publishing: the articles folder changed since the failed publish; trying again now');
        state = { ...state, failures: 0, retryAt: null };
      }
      const waiting = !!state.retryAt && Date.parse(state.retryAt) > Date.now();
      if (due.length && !waiting) {
        log(`automatic publish: ${due.length} article(s) due and not served (${due.slice(0, 5).join(', ')})`);
        const started = Date.now();
        writeState(releasesDir, { ...state, running: true });
        const result = await publish();
        const detail = result.output.trim().split('\n').at(-1) ?? '';
        const failed = result.code !== 0;
        const failures = failed ? (state.failures ?? 0) + 1 : 0;
        const retryAt = failed
          ? new Date(Date.now() + retryDelaySeconds(failures, checkSeconds) * 1000).toISOString()
          : null;
        if (failed) failedOn = folderFingerprint(articlesDir);
        state = {
          ...state,
          failures,
          retryAt,
          last: {
            at: new Date(started).toISOString(),
            durationMs: Date.now() - started,
            outcome: failed ? 'failed' : 'published',
            detail,
          },
        };
        log(
          failed
            ? `automatic publish failed (${failures} in a row): ${detail}; next attempt at ${retryAt} or when an article file changes`
            : `automatic publish done: ${detail}`,
          failed ? 'error' : 'info',
        );
      }
    } catch (error) {
      log(`automatic publishing: ${(error as Error).message}`, 'error');
    }
    writeState(releasesDir, { ...state, running: false });
    schedule(next);
  }

  void check();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
