/**
 * Shared pieces of the benchmark suite (tests/bench/run.ts): options, machine details, scratch copies of
 * the project, servers on 127.0.0.1, timed builds and peak memory. Figures, not pass/fail.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serverArgs } from '../../../tools/server-flags.ts';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const smoke = process.env.BENCH_SMOKE === '1';
export const options = {
  smoke,
  duration: Number(process.env.BENCH_DURATION ?? (smoke ? 2 : 10)),
  connections: Number(process.env.BENCH_CONNECTIONS ?? 10),
  rounds: Number(process.env.BENCH_ROUNDS ?? (smoke ? 1 : 2)),
  articles: (process.env.BENCH_ARTICLES ?? (smoke ? '200' : '1000,10000'))
    .split(',')
    .map((n) => Number(n.trim()))
    .filter((n) => n > 0),
  port: Number(process.env.BENCH_PORT ?? 4390),
  /** Sections to run (comma-separated: throughput, js, build, search, members, cards, publish); all but search when unset. */
  only: (process.env.BENCH_ONLY ?? 'throughput,js,build,members,cards,publish').split(',').map((s) => s.trim()),
};

export function machine() {
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Scratch directories made by this run, removed by `cleanup()`. */
const scratchDirs: string[] = [];
const children = new Set<ChildProcess>();

export function scratchDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `gatepost-bench-${name}-`));
  scratchDirs.push(dir);
  return dir;
}

/** A copy of the project's sources in os.tmpdir() that links to this node_modules. */
export function scratchProject(name: string): string {
  const dir = scratchDir(name);
  for (const entry of ['src', 'public', 'astro.config.mjs', 'tsconfig.json', 'package.json']) {
    cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/** A snapshot of dist/ (so a concurrent `astro build` in the project cannot change it under load). */
export function snapshotDist(): string {
  const dir = scratchDir('dist');
  cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

const childEnv = (extra: Record<string, string> = {}) => ({
  ...process.env,
  // Node 24 from node_modules first, whoever started us.
  PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH ?? ''}`,
  ASTRO_TELEMETRY_DISABLED: '1',
  ...extra,
});

export interface BuildResult {
  seconds: number;
  peakRssMB: number;
  ok: boolean;
  output: string;
}

/** `astro build` in `dir`, timed, with its peak RSS from GNU time (or /proc polling when time is absent). */
export function timedBuild(dir: string): Promise<BuildResult> {
  return timedNode(dir, [join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build']);
}

/**
 * `node <args>` in `dir`, timed, with its peak RSS from GNU time (the largest of the process and the
 * children it waited for) or /proc polling when time is absent.
 */
export async function timedNode(
  dir: string,
  nodeArgs: readonly string[],
  env: Record<string, string> = {},
): Promise<BuildResult> {
  const useTime = existsSync('/usr/bin/time');
  const [cmd, args] = useTime
    ? ['/usr/bin/time', ['-v', process.execPath, ...nodeArgs]]
    : [process.execPath, [...nodeArgs]];
  const started = performance.now();
  const child = spawn(cmd, args, { cwd: dir, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  let polledKB = 0;
  const poll = setInterval(() => {
    polledKB = Math.max(polledKB, readStatusKB(child.pid, 'VmRSS'));
  }, 100);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(poll);
  children.delete(child);
  const seconds = (performance.now() - started) / 1000;
  const timeKB = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(output)?.[1] ?? 0);
  return { seconds, peakRssMB: Math.round((timeKB || polledKB) / 1024), ok: code === 0, output };
}

/** A `/proc/<pid>/status` figure in kB (e.g. VmRSS, VmHWM, RssAnon), 0 when the process is gone. */
export function readStatusKB(pid: number | undefined, field: string): number {
  if (!pid) return 0;
  try {
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

export interface Server {
  base: string;
  pid: number;
  peakRssMB: () => number;
  stop: () => Promise<void>;
}

/**
 * The production server of `dir`'s build (`distDir`, default dist/) on 127.0.0.1:`port`, started as
 * `npm start` starts it (tools/server-flags.ts; the no-auth baseline gets the same) with any `nodeArgs`,
 * resolved once it listens.
 */
export async function startServer(
  dir: string,
  port: number,
  env: Record<string, string> = {},
  nodeArgs: readonly string[] = [],
  distDir = join(dir, 'dist'),
): Promise<Server> {
  const child = spawn(process.execPath, serverArgs(distDir, nodeArgs), {
    cwd: dir,
    env: childEnv({ ...env, HOST: '127.0.0.1', PORT: String(port) }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  // Start-up output only (for the error below); the request log lines that follow are dropped, so the
  // load generator's process does not spend the run collecting them.
  let log = '';
  let started = false;
  child.stderr!.on('data', (d: Buffer) => {
    if (!started) log += d.toString();
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server in ${dir} did not start:\n${log}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      if (started) return;
      log += d.toString();
      if (log.includes('listening')) {
        started = true;
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`server in ${dir} exited (${code}):\n${log}`)));
  });
  return {
    base: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    peakRssMB: () => Math.round(readStatusKB(child.pid, 'VmHWM') / 1024),
    stop: () => stopChild(child),
  };
}

/** Keeps `child` among the processes `cleanup()` stops, until it exits. */
export function track<T extends ChildProcess>(child: T): T {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return void children.delete(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
  children.delete(child);
}

/** Stops every process this run started and removes its scratch directories. */
export async function cleanup(): Promise<void> {
  await Promise.all([...children].map((c) => stopChild(c)));
  for (const dir of scratchDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Builds the project's dist/ when it is missing (as `npm test` leaves it otherwise). */
export async function ensureDist(): Promise<BuildResult | null> {
  if (existsSync(join(ROOT, 'dist/server/gatepost.mjs'))) return null;
  const result = await timedBuild(ROOT);
  if (!result.ok) throw new Error(`astro build failed:\n${result.output}`);
  return result;
}
