/**
 * The cluster primary (GATEPOST_WORKERS > 1, or any count when serving from a release): starts the
 * workers (each runs the whole server, sharing the listening socket), replaces one that exits unasked,
 * and on SIGTERM/SIGINT passes the signal on and exits once every worker has finished its in-flight
 * requests. It never loads Astro itself.
 *
 * Serving from a release (src/publish/releases.ts), SIGHUP switches to the release `current` links to:
 * new workers start on it; once every one of them listens, the old ones are told to drain (main.ts:
 * they answer what they get with `Connection: close`, then stop listening and finish in-flight requests)
 * and exit. New workers that fail to start are stopped and the old ones keep serving.
 */
import cluster, { type Worker } from 'node:cluster';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { currentRelease, PID_FILE, releaseProgram, writeServing, type ServingState } from '../publish/releases';
import { RELEASES_DIR_VARIABLE } from '../publish/status';

const log = (msg: string, level: 'info' | 'error' = 'info') =>
  process[level === 'error' ? 'stderr' : 'stdout'].write(
    `${JSON.stringify({ level: level === 'error' ? 50 : 30, time: Date.now(), pid: process.pid, msg })}\n`,
  );

/** How long new workers of a switch may take to listen before the switch is abandoned. */
const SWITCH_TIMEOUT_MS = 60_000;

/** Messages between the primary and its workers. */
export const DRAIN_MESSAGE = 'gatepost:drain';

export function runPrimary(count: number, releasesDir?: string): void {
  let stopping = false;
  let failures = 0;
  /** Workers told to drain: their exit is expected, not replaced. */
  const retired = new WeakSet<Worker>();
  /** New workers of a switch until they listen: the switch, not the replacement below, handles their exit. */
  const starting = new WeakSet<Worker>();
  let serving: ServingState = {
    release: releasesDir ? (currentRelease(releasesDir) ?? null) : null,
    pid: process.pid,
    workers: count,
    at: Date.now(),
    outcome: 'started',
    durationMs: 0,
  };
  if (releasesDir && serving.release) {
    cluster.setupPrimary({ exec: releaseProgram(releasesDir, serving.release) });
  }
  const fork = () => {
    const worker = cluster.fork(releasesDir ? { [RELEASES_DIR_VARIABLE]: releasesDir } : {});
    const started = Date.now();
    worker.once('exit', (code, signal) => {
      if (stopping || retired.has(worker) || starting.has(worker)) return;
      // A worker that dies soon after starting is probably failing at start-up: back off.
      failures = Date.now() - started < 10_000 ? failures + 1 : 0;
      const delay = Math.min(failures * 1000, 10_000);
      log(
        `worker ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting a new one${delay ? ` in ${delay} ms` : ''}`,
        'error',
      );
      setTimeout(fork, delay);
    });
    return worker;
  };
  for (let i = 0; i < count; i++) fork();
  log(`cluster primary ${process.pid}: ${count} workers${serving.release ? ` on release ${serving.release}` : ''}`);
  if (releasesDir) {
    writeFileSync(join(releasesDir, PID_FILE), `${process.pid}\n`);
    writeServing(releasesDir, serving);
    process.on('exit', () => rmSync(join(releasesDir, PID_FILE), { force: true }));
  }

  let switching = false;
  const switchRelease = async () => {
    if (!releasesDir || stopping) return;
    if (switching) {
      log('SIGHUP: a switch is already under way; ignored', 'error');
      return;
    }
    switching = true;
    const started = Date.now();
    const target = currentRelease(releasesDir);
    const old = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && !retired.has(w));
    try {
      if (!target) throw new Error(`${releasesDir}/current names no release`);
      log(`SIGHUP: switching from release ${serving.release} to ${target}`);
      cluster.setupPrimary({ exec: releaseProgram(releasesDir, target) });
      const fresh = Array.from({ length: count }, fork);
      for (const worker of fresh) starting.add(worker);
      try {
        await Promise.all(fresh.map(listening));
        for (const worker of fresh) starting.delete(worker);
      } catch (error) {
        for (const worker of fresh) {
          retired.add(worker);
          worker.process.kill('SIGTERM');
        }
        if (serving.release) cluster.setupPrimary({ exec: releaseProgram(releasesDir, serving.release) });
        throw error;
      }
      for (const worker of old) {
        retired.add(worker);
        worker.send(DRAIN_MESSAGE);
      }
      serving = { ...serving, release: target, at: Date.now(), outcome: 'switched', durationMs: Date.now() - started };
      log(`switched to release ${target} in ${serving.durationMs} ms; ${old.length} old worker(s) draining`);
    } catch (error) {
      serving = {
        ...serving,
        at: Date.now(),
        outcome: `failed: ${(error as Error).message}`,
        durationMs: Date.now() - started,
      };
      log(`switch failed, release ${serving.release} keeps serving: ${(error as Error).message}`, 'error');
    } finally {
      writeServing(releasesDir, serving);
      switching = false;
    }
  };
  process.on('SIGHUP', () => void switchRelease());

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
    let failed = false;
    let left = workers.length;
    if (!left) process.exit(0);
    for (const worker of workers) {
      worker.once('exit', (code) => {
        if (code !== 0) failed = true;
        if (--left === 0) process.exit(failed ? 1 : 0);
      });
      worker.process.kill(signal);
    }
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** Resolves when `worker` listens; rejects when it exits first or takes longer than SWITCH_TIMEOUT_MS. */
function listening(worker: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`a new worker did not listen within ${SWITCH_TIMEOUT_MS} ms`)),
      SWITCH_TIMEOUT_MS,
    );
    worker.once('listening', () => {
      clearTimeout(timer);
      resolve();
    });
    worker.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`a new worker exited while starting (${signal ?? `code ${code}`})`));
    });
  });
}
