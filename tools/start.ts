/**
 * `npm start`: build and serve Gatepost.
 *
 * - **Clerk keys present** (in .env or the environment): exactly what `npm start` always did,
 *   `astro build` then `node --max-semi-space-size=16 --env-file-if-exists=.env ./dist/server/gatepost.mjs`
 *   (the command: tools/server-flags.ts). The stand-in's code
 *   is not even loaded.
 * - **No Clerk keys** (a fresh clone): the full site with a local stand-in for Clerk, so sign-in and
 *   member articles can be tried offline with real Clerk components; a loud banner and a badge on every
 *   page say it is a demo. See README, "Try it without a Clerk account", and docs/testing.md.
 *
 * Ctrl+C stops everything. `npm run serve` stays the plain production server.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { serverArgs } from './server-flags.ts';
import type { DemoOptions } from './standin/demo.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CLERK_KEYS = ['PUBLIC_CLERK_PUBLISHABLE_KEY', 'CLERK_SECRET_KEY', 'CLERK_JWT_KEY'] as const;

/** What the server will see: .env, with the real environment taking precedence (as `--env-file` does). */
function effectiveEnv(): Record<string, string | undefined> {
  const file = join(ROOT, '.env');
  const fromFile = existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
  return { ...fromFile, ...process.env };
}

/** Any Clerk key, even a malformed one: then the site reports the problem instead of a demo hiding it. */
export function hasClerkKeys(env: Record<string, string | undefined>): boolean {
  return CLERK_KEYS.some((name) => !!env[name]?.trim());
}

function run(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: 'inherit' });
    // The terminal sends Ctrl+C to the child too; wait for it to finish instead of leaving it behind.
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward).on('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward).off('SIGTERM', forward);
      resolve(code ?? (signal ? 0 : 1));
    });
  });
}

async function startWithClerk(): Promise<never> {
  const build = await run([join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build']);
  if (build !== 0) process.exit(build);
  process.exit(await run(serverArgs('./dist', ['--env-file-if-exists=.env'])));
}

export interface RunDemoOptions extends Omit<DemoOptions, 'log'> {
  quiet?: boolean;
}

/** Starts the demo site and keeps it running until Ctrl+C (or SIGTERM), then stops everything. */
export async function runDemo(options: RunDemoOptions): Promise<void> {
  // Loaded only here: with Clerk keys, nothing of the stand-in is ever imported.
  const { banner, startDemoSite } = await import('./standin/demo.ts');
  const log = (line: string) => console.log(line);
  if (!options.quiet) log('No Clerk keys found: building Gatepost with the local demo sign-in…');
  let site: Awaited<ReturnType<typeof startDemoSite>>;
  try {
    site = await startDemoSite({ ...options, log });
  } catch (error) {
    const message =
      (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
        ? `Port ${options.port} (or ${options.apiPort}) is in use. Stop what uses it, or run with PORT=<another port>.`
        : (error as Error).message;
    console.error(`[gatepost] Could not start the demo: ${message}`);
    process.exit(1);
  }
  console.log(
    options.quiet
      ? `Gatepost with the local Clerk stand-in: ${site.standin.origin}`
      : banner(site, process.stdout.isTTY),
  );

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await site.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  const code = await site.exited;
  if (!stopping) {
    console.error(`[gatepost] The Gatepost server stopped (exit code ${code}); stopping the stand-in too.`);
    await stop(code || 1);
  }
}

// Run only as the entry point: tools/standin.ts imports runDemo from here.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const env = effectiveEnv();
  if (hasClerkKeys(env)) {
    await startWithClerk();
  } else {
    const { demoBuildDir } = await import('./standin/demo.ts');
    await runDemo({ port: Number(env.PORT || 4321), outDir: demoBuildDir('demo'), verbose: true });
  }
}
