/**
 * A scratch copy of the project (with tools/, for `npm run publish`) and the server started from its
 * releases/current, for the publishing suites.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVER_NODE_FLAGS } from '../../tools/server-flags';
import { ROOT } from './paths';
import { scratchCopy } from './scratch';
import { freePort } from './server';

export interface ReleaseServer {
  child: ChildProcess;
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

export function scratchProjectWithTools(prefix: string): string {
  const dir = scratchCopy(prefix);
  cpSync(join(ROOT, 'tools'), join(dir, 'tools'), { recursive: true });
  return dir;
}

export interface ReleaseProject {
  dir: string;
  /** The environment of its commands and server: a members' store of its own (SQLite), `extra` added. */
  env: NodeJS.ProcessEnv;
  remove: () => void;
}

/** A scratch project with tools/ and its own data folder, for `npm run publish` and its server. */
export function releaseProject(prefix: string, extra: NodeJS.ProcessEnv = {}): ReleaseProject {
  const dir = scratchProjectWithTools(`${prefix}-`);
  const dataDir = mkdtempSync(join(tmpdir(), `${prefix}-data-`));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...extra,
    GATEPOST_DATA_DIR: dataDir,
    ASTRO_TELEMETRY_DISABLED: '1',
    NO_COLOR: '1',
  };
  delete env.DATABASE_URL;
  return {
    dir,
    env,
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** `npm run publish` (`tools/publish.ts`) in `dir` with `args`: its exit code and output. */
export function runPublish(
  dir: string,
  env: NodeJS.ProcessEnv,
  ...args: string[]
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['tools/publish.ts', ...args], {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

/** Starts `releases/current/server/gatepost.mjs` in `dir`; resolves once every worker listens. */
export async function startReleaseServer(dir: string, env: NodeJS.ProcessEnv, workers: number): Promise<ReleaseServer> {
  const port = await freePort();
  const servingFile = join(dir, 'releases/serving.json');
  const startedBefore = existsSync(servingFile) ? readFileSync(servingFile, 'utf8') : '';
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, 'releases/current/server/gatepost.mjs'], {
    cwd: dir,
    env: { ...env, HOST: '127.0.0.1', PORT: String(port), GATEPOST_WORKERS: String(workers) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (chunk) => (log += chunk));
  child.stderr!.on('data', (chunk) => (log += chunk));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited:\n${log}`);
    const ok = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    // The primary writes serving.json as it starts (a new one, not a previous run's).
    const reported = existsSync(servingFile) && readFileSync(servingFile, 'utf8') !== startedBefore;
    if (ok && reported) break;
    if (Date.now() > deadline) throw new Error(`server did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    child,
    url,
    output: () => log,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The release the server reports it serves (releases/serving.json). */
export function servingRelease(dir: string): string {
  return (JSON.parse(readFileSync(join(dir, 'releases/serving.json'), 'utf8')) as { release: string }).release;
}
