/**
 * The cluster primary (GATEPOST_WORKERS > 1): starts the workers (each runs the whole server, sharing
 * the listening socket), replaces one that exits unasked, and on SIGTERM/SIGINT passes the signal on and
 * exits once every worker has finished its in-flight requests. It never loads Astro itself.
 */
import cluster, { type Worker } from 'node:cluster';

const log = (msg: string, level: 'info' | 'error' = 'info') =>
  process[level === 'error' ? 'stderr' : 'stdout'].write(
    `${JSON.stringify({ level: level === 'error' ? 50 : 30, time: Date.now(), pid: process.pid, msg })}\n`,
  );

export function runPrimary(count: number): void {
  let stopping = false;
  let failures = 0;
  const fork = () => {
    const worker = cluster.fork();
    const started = Date.now();
    worker.once('exit', (code, signal) => {
      if (stopping) return;
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
  log(`cluster primary ${process.pid}: ${count} workers`);

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
