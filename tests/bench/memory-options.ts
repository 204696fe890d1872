/**
 * What the production server's resident memory is made of, and what Node/V8 options change it:
 * `node tests/bench/memory-options.ts` (figures, not pass/fail; docs/performance.md).
 *
 * For each option set, starts dist/server/gatepost.mjs on 127.0.0.1 with Clerk keys generated for the
 * run, records RSS and process.memoryUsage() idle after start, then under autocannon load (the gated
 * premium article with a premium reader's cookie, MEM_CONNECTIONS connections, MEM_DURATION s without
 * Accept-Encoding, then the same with `Accept-Encoding: br, gzip`), and prints peak RSS and req/s.
 * Options are run in MEM_ROUNDS interleaved rounds (medians). MEM_PORT (4474), MEM_ONLY (label prefixes, separated by |).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { generateTestKeys, mintToken, serverEnv, sessionCookie } from '../support/clerk-session.ts';
import { ensureDist, median, readStatusKB, ROOT } from './lib/common.ts';
import { pickSlugs } from './lib/throughput.ts';
import { SERVER_NODE_FLAGS } from '../../tools/server-flags.ts';

const port = Number(process.env.MEM_PORT ?? 4474);
const connections = Number(process.env.MEM_CONNECTIONS ?? 32);
const duration = Number(process.env.MEM_DURATION ?? 10);
const rounds = Number(process.env.MEM_ROUNDS ?? 1);

interface OptionSet {
  label: string;
  nodeArgs: string[];
  env?: Record<string, string>;
}

const SETS: OptionSet[] = [
  { label: `current (${SERVER_NODE_FLAGS.join(' ')})`, nodeArgs: [...SERVER_NODE_FLAGS] },
  { label: 'semi-space 16, heap growing 50 %', nodeArgs: ['--max-semi-space-size=16', '--heap-growing-percent=50'] },
  { label: 'semi-space 16 only (before 2026-12-02)', nodeArgs: ['--max-semi-space-size=16'] },
  { label: 'no flags (V8 default young generation)', nodeArgs: [] },
  { label: 'semi-space 8', nodeArgs: ['--max-semi-space-size=8'] },
  { label: 'semi-space 16, old space 128', nodeArgs: ['--max-semi-space-size=16', '--max-old-space-size=128'] },
  { label: 'semi-space 16, old space 96', nodeArgs: ['--max-semi-space-size=16', '--max-old-space-size=96'] },
  { label: 'semi-space 16, heap growing 20 %', nodeArgs: ['--max-semi-space-size=16', '--heap-growing-percent=20'] },
  { label: 'semi-space 16, heap growing 30 %', nodeArgs: ['--max-semi-space-size=16', '--heap-growing-percent=30'] },
  { label: 'semi-space 16, heap growing 100 %', nodeArgs: ['--max-semi-space-size=16', '--heap-growing-percent=100'] },
  { label: 'semi-space 8, heap growing 100 %', nodeArgs: ['--max-semi-space-size=8', '--heap-growing-percent=100'] },
  { label: 'semi-space 16, optimize for size', nodeArgs: ['--max-semi-space-size=16', '--optimize-for-size'] },
  {
    label: 'semi-space 16, MALLOC_ARENA_MAX=2',
    nodeArgs: ['--max-semi-space-size=16'],
    env: { MALLOC_ARENA_MAX: '2' },
  },
  {
    label: 'semi-space 16, GATEPOST_WORKERS=2 (all processes)',
    nodeArgs: ['--max-semi-space-size=16'],
    env: { GATEPOST_WORKERS: '2' },
  },
];

// Preloaded into the server: samples process.memoryUsage() and V8's heap spaces; on SIGUSR2 writes the
// current figures, the peaks since the last report, and heapUsed after a full collection.
const PROBE = `
import v8 from 'node:v8';
import { writeFileSync } from 'node:fs';
let peak = {};
const sample = () => {
  const m = process.memoryUsage();
  for (const [k, v] of Object.entries(m)) peak[k] = Math.max(peak[k] ?? 0, v);
  for (const s of v8.getHeapSpaceStatistics()) peak['space:' + s.space_name] = Math.max(peak['space:' + s.space_name] ?? 0, s.space_size);
};
setInterval(sample, 100).unref();
process.on('SIGUSR2', () => {
  sample();
  const now = process.memoryUsage();
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, { size: s.space_size, used: s.space_used_size }]));
  globalThis.gc?.();
  const afterGc = process.memoryUsage();
  const code = v8.getHeapCodeStatistics();
  writeFileSync(process.env.MEM_PROBE_FILE, JSON.stringify({ now, peak, spaces, afterGc, code }));
  peak = {};
});
`;

const MB = (bytes: number) => Math.round(bytes / 2 ** 20);

function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

const logs = new Map<ChildProcess, () => string>();
const serverLog = (child: ChildProcess) =>
  (logs.get(child)?.() ?? '')
    .split('\n')
    .filter((line) => !line.includes('"level":30'))
    .join('\n');

async function start(set: OptionSet, env: Record<string, string>, probeFile: string, probePath: string) {
  const child: ChildProcess = spawn(
    join(ROOT, 'node_modules/.bin/node'),
    [...set.nodeArgs, '--expose-gc', `--import=${probePath}`, join(ROOT, 'dist/server/gatepost.mjs')],
    {
      cwd: ROOT,
      env: { ...process.env, ...env, ...set.env, HOST: '127.0.0.1', PORT: String(port), MEM_PROBE_FILE: probeFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  logs.set(child, () => log);
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      log += d.toString();
      if (log.includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${log}`)));
  });
  return child;
}

async function probe(pid: number, file: string) {
  rmSync(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as {
        now: NodeJS.MemoryUsage;
        peak: Record<string, number>;
        spaces: Record<string, { size: number; used: number }>;
        afterGc: NodeJS.MemoryUsage;
        code: { code_and_metadata_size: number; bytecode_and_metadata_size: number };
      };
    } catch {
      // not written yet
    }
  }
  throw new Error('memory probe did not answer');
}

async function measure(set: OptionSet, env: Record<string, string>, url: string, cookie: string, dir: string) {
  const probeFile = join(dir, 'probe.json');
  const probePath = join(dir, 'probe.mjs');
  const child = await start(set, env, probeFile, probePath);
  const pid = child.pid!;
  // With workers, figures are summed over the primary and every worker (the probe reports the primary).
  const pids = () => [pid, ...childPids(pid)];
  const sum = (field: string) => pids().reduce((total, p) => total + readStatusKB(p, field), 0);
  try {
    await new Promise((r) => setTimeout(r, 3000));
    const check = await fetch(url, { headers: { cookie } });
    if (!(await check.text()).includes('data-access-granted'))
      throw new Error('premium reader did not get the full text');
    const idle = {
      rss: sum('VmRSS') / 1024,
      anon: sum('RssAnon') / 1024,
      file: sum('RssFile') / 1024,
      probe: await probe(pid, probeFile),
    };
    const loads = [];
    for (const headers of [{ cookie }, { cookie, 'accept-encoding': 'br, gzip' }]) {
      const r = await autocannon({ url, headers, connections, duration });
      loads.push({
        rps: r.requests.average,
        p99: r.latency.p99,
        errors: r.errors + r.timeouts + r.non2xx,
        hwm: sum('VmHWM') / 1024,
      });
    }
    const after = {
      hwm: sum('VmHWM') / 1024,
      rss: sum('VmRSS') / 1024,
      anon: sum('RssAnon') / 1024,
      file: sum('RssFile') / 1024,
      probe: await probe(pid, probeFile),
    };
    return { idle, loads, after };
  } catch (error) {
    throw new Error(
      `${set.label}: ${(error as Error).message}\nserver exit ${child.exitCode ?? child.signalCode}, log:\n${serverLog(child).slice(-2000)}`,
      { cause: error },
    );
  } finally {
    const exited = new Promise((r) =>
      child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r),
    );
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

const built = await ensureDist();
if (built) console.error(`built dist/ (${built.seconds.toFixed(1)} s)`);
const dir = mkdtempSync(join(tmpdir(), 'gatepost-mem-'));
writeFileSync(join(dir, 'probe.mjs'), PROBE);
const keys = generateTestKeys();
const origin = `http://127.0.0.1:${port}`;
const cookie = sessionCookie(
  mintToken(keys, {
    azp: origin,
    userId: 'user_mem_premium',
    claims: { metadata: { tier: 'premium' } },
    exp: 6 * 3600,
  }),
);
const url = `${origin}/members/${pickSlugs().premiumSlug}/`;
const only = process.env.MEM_ONLY?.split('|').map((s) => s.trim());
const sets = SETS.filter((s) => !only || only.some((o) => s.label.startsWith(o)));
const results = new Map<string, Awaited<ReturnType<typeof measure>>[]>();
try {
  for (let round = 0; round < rounds; round++) {
    for (const set of round % 2 ? [...sets].reverse() : sets) {
      console.error(`[mem] round ${round + 1}: ${set.label}`);
      const r = await measure(set, serverEnv(keys, origin), url, cookie, dir);
      results.set(set.label, [...(results.get(set.label) ?? []), r]);
      console.error(
        JSON.stringify({
          label: set.label,
          ...r,
          idle: { ...r.idle, probe: undefined },
          after: { ...r.after, probe: undefined },
        }),
      );
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const rows = sets.map((set) => {
  const rs = results.get(set.label)!;
  const last = rs[rs.length - 1]!;
  const p = last.after.probe;
  return {
    options: set.label,
    'idle RSS': `${Math.round(median(rs.map((r) => r.idle.rss)))} MB`,
    'peak RSS (after plain)': `${Math.round(median(rs.map((r) => r.after.hwm)))} (${Math.round(median(rs.map((r) => r.loads[0]!.hwm)))}) MB`,
    'after load RSS (anon/file)': `${Math.round(last.after.rss)} (${Math.round(last.after.anon)}/${Math.round(last.after.file)}) MB`,
    'req/s plain': Math.round(median(rs.map((r) => r.loads[0]!.rps))),
    'req/s br/gzip': Math.round(median(rs.map((r) => r.loads[1]!.rps))),
    'peak heapTotal': `${MB(p.peak.heapTotal ?? 0)} MB`,
    'peak new/old/code/lo space': ['new_space', 'old_space', 'code_space', 'large_object_space']
      .map((s) => MB(p.peak[`space:${s}`] ?? 0))
      .join('/'),
    'peak external (arrayBuffers)': `${MB(p.peak.external ?? 0)} (${MB(p.peak.arrayBuffers ?? 0)}) MB`,
    'live heap after GC, idle/after': `${MB(last.idle.probe.afterGc.heapUsed)}/${MB(p.afterGc.heapUsed)} MB`,
    errors: rs.reduce((t, r) => t + r.loads[0]!.errors + r.loads[1]!.errors, 0),
  };
});
console.log(
  `\nServer memory by option set: ${connections} connections, ${duration} s plain + ${duration} s br/gzip, ` +
    `premium reader on ${url}; ${rounds} round(s), medians`,
);
console.table(rows);
