/**
 * Scheduled articles go live by themselves (issue 25, point 3): on a server started from a release
 * (src/publish/releases.ts) whose project still has the articles folder, the cluster primary wakes at
 * the next scheduled `pubDate` (and at least every GATEPOST_AUTO_PUBLISH_CHECK_SECONDS, default 60, to
 * see new or changed files), and when the folder says an article is published that the serving build
 * does not hold, runs `npm run publish` (tools/publish.ts: build, check, switch). One run at a time; a
 * failed run is retried at the next check. What it did is written to releases/auto-publish.json
 * (`AutoPublishState`), which the editor desk shows. Without the folder (a build made elsewhere, e.g. in
 * CI), nothing runs: docs/deploy.md ("Builds made elsewhere") gives that workflow.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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
}): (() => void) | undefined {
  const { releasesDir, articlesDir, checkSeconds, log } = options;
  if (!existsSync(articlesDir)) {
    log(`automatic publishing off: no articles folder at ${articlesDir} (docs/deploy.md, "Scheduled articles")`);
    return undefined;
  }
  const projectRoot = dirname(releasesDir);
  let state: AutoPublishState = readAutoPublish(releasesDir) ?? { next: null, last: null, running: false };
  state = { ...state, running: false };
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const schedule = (next: Date | undefined) => {
    if (stopped) return;
    const untilNext = next ? next.getTime() - Date.now() : Infinity;
    // A scheduled time is acted on as it comes (plus a second, so the build sees it as past).
    timer = setTimeout(check, Math.max(0, Math.min(untilNext + 1000, checkSeconds * 1000)));
    timer.unref();
  };

  const publish = () =>
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
    });

  async function check() {
    let next: Date | undefined;
    try {
      const source = sourceSchedule(articlesDir);
      next = source.next;
      const held = new Set(servingArticles(releasesDir)?.articles.map((a) => a.slug) ?? []);
      const due = source.published.filter((slug) => !held.has(slug));
      state = { ...state, next: next?.toISOString() ?? null };
      if (due.length) {
        log(`automatic publish: ${due.length} article(s) due and not served (${due.slice(0, 5).join(', ')})`);
        const started = Date.now();
        writeState(releasesDir, { ...state, running: true });
        const result = await publish();
        const detail = result.output.trim().split('\n').at(-1) ?? '';
        state = {
          ...state,
          last: {
            at: new Date(started).toISOString(),
            durationMs: Date.now() - started,
            outcome: result.code === 0 ? 'published' : 'failed',
            detail,
          },
        };
        log(
          `automatic publish ${result.code === 0 ? 'done' : 'failed'}: ${detail}`,
          result.code === 0 ? 'info' : 'error',
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
