/**
 * Automatic publishing after a failure (src/publish/auto-publish.ts): a publish that keeps failing is
 * retried after a growing wait instead of at every check, the state file (which the editor desk shows)
 * says when the next attempt is, and an edit to the articles folder or a success ends the wait.
 * Fake timers drive the checks; the publish itself is a stand-in that fails or succeeds on demand.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AUTO_PUBLISH_FILE, retryDelaySeconds, startAutoPublish } from '../../src/publish/auto-publish';

const CHECK_SECONDS = 60;
let root: string;
let articlesDir: string;
let releasesDir: string;
let stop: (() => void) | undefined;

const article = (title: string) =>
  `---\ntitle: "${title}"\ndescription: "A description long enough."\npubDate: 2026-01-01\nauthor: "A"\ntags: [editorial]\naccess: public\n---\n\nText.\n`;

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-12-05T12:00:00Z'), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  root = mkdtempSync(join(tmpdir(), 'gatepost-backoff-'));
  articlesDir = join(root, 'articles');
  releasesDir = join(root, 'releases');
  mkdirSync(articlesDir);
  mkdirSync(releasesDir);
  // Published in the source, served by no release: due at every check.
  writeFileSync(join(articlesDir, 'due-article.md'), article('Due'));
});

afterEach(() => {
  stop?.();
  vi.useRealTimers();
  rmSync(root, { recursive: true, force: true });
});

function start(outcomes: { code: number }[]) {
  const runs: number[] = [];
  stop = startAutoPublish({
    releasesDir,
    articlesDir,
    checkSeconds: CHECK_SECONDS,
    log: () => {},
    run: async () => {
      runs.push(Date.now());
      const { code } = outcomes.shift() ?? { code: 1 };
      return { code, output: code === 0 ? '[publish] published' : '[publish] the build failed (exit code 1)' };
    },
  });
  return runs;
}

const state = () => JSON.parse(readFileSync(join(releasesDir, AUTO_PUBLISH_FILE), 'utf8'));
const minutes = (n: number) => vi.advanceTimersByTimeAsync(n * 60_000);

describe('automatic publishing after a failure', () => {
  it('waits twice as long after each failure in a row instead of retrying at every check', async () => {
    const started = Date.now();
    const runs = start([]);
    await minutes(30);
    // Without a backoff: one attempt a minute, 31 in 30 minutes. With it: at 0, 2, 6, 14 and 30 minutes.
    expect(runs.map((at) => Math.round((at - started) / 60_000))).toEqual([0, 2, 6, 14, 30]);
    expect(state().failures).toBe(5);
    expect(state().last.outcome).toBe('failed');
    expect(Date.parse(state().retryAt) - Date.now()).toBe(retryDelaySeconds(5, CHECK_SECONDS) * 1000);
  });

  it('never waits more than an hour', () => {
    expect(retryDelaySeconds(1, CHECK_SECONDS)).toBe(120);
    expect(retryDelaySeconds(3, CHECK_SECONDS)).toBe(480);
    expect(retryDelaySeconds(10, CHECK_SECONDS)).toBe(3600);
    expect(retryDelaySeconds(1000, CHECK_SECONDS)).toBe(3600);
  });

  it('tries again at the next check when an article file changes, and a success ends the backoff', async () => {
    const started = Date.now();
    const runs = start([{ code: 1 }, { code: 1 }, { code: 0 }]);
    await minutes(3);
    expect(runs).toHaveLength(2);
    expect(state().retryAt).toBeTruthy();
    // The editor fixes the article: retried at the next check, not after the 4-minute wait.
    writeFileSync(join(articlesDir, 'due-article.md'), article('Fixed'));
    await minutes(1);
    expect(runs.map((at) => Math.round((at - started) / 60_000))).toEqual([0, 2, 4]);
    expect(state()).toMatchObject({ failures: 0, retryAt: null, last: { outcome: 'published' } });
  });
});
