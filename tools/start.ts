/**
 * `npm start`: build and serve Gatepost. Which of these it does is decided in tools/start-mode.ts:
 *
 * - **Clerk keys present** (wherever `astro build` reads them: the environment, .env, .env.local,
 *   .env.production, .env.production.local): `astro build` then the production server,
 *   `node --max-semi-space-size=8 --heap-growing-percent=50 --env-file-if-exists=.env ./dist/server/gatepost.mjs` (the command:
 *   tools/server-flags.ts), with the variables from those files. The stand-in's code is not even loaded.
 * - **No Clerk keys** (a fresh clone): the full site with a local stand-in for Clerk, so sign-in and
 *   member articles can be tried offline with real Clerk components; a loud banner and a badge on every
 *   page say it is a demo. See README, "Try it", and docs/testing.md.
 * - **No Clerk keys, NODE_ENV=production**: never the demo. The production server, sign-in off, and
 *   one line saying so.
 * - **A Clerk key under a name Gatepost does not read** (CLERK_PUBLISHABLE_KEY, CLERK_API_KEY…): nothing
 *   starts; exit code 1 and a message naming the variable to use instead.
 *
 * Ctrl+C stops everything. `npm run serve` stays the plain production server.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serverArgs } from './server-flags.ts';
import { effectiveEnv, envSources, planStart } from './start-mode.ts';
import type { DemoOptions } from './demo.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
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

/** `serverEnv`: what the build read (files and environment), so the server sees the same keys. */
async function startProduction(serverEnv: NodeJS.ProcessEnv): Promise<never> {
  const build = await run([join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build']);
  if (build !== 0) process.exit(build);
  process.exit(await run(serverArgs('./dist', ['--env-file-if-exists=.env']), serverEnv));
}

export interface RunDemoOptions extends Omit<DemoOptions, 'log'> {
  quiet?: boolean;
}

/** Starts the demo site and keeps it running until Ctrl+C (or SIGTERM), then stops everything. */
export async function runDemo(options: RunDemoOptions): Promise<void> {
  // Loaded only here: with Clerk keys, nothing of the stand-in is ever imported.
  const { banner, startDemoSite } = await import('./demo.ts');
  const log = (line: string) => console.log(line);
  if (!options.quiet) log('No Clerk keys found: building Gatepost with the local demo sign-in…');
  let site: Awaited<ReturnType<typeof startDemoSite>>;
  try {
    site = await startDemoSite({ ...options, log });
  } catch (error) {
    const message =
      (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
        ? `Port ${options.port}${options.apiPort ? ` (or ${options.apiPort})` : ''} is in use. Stop what uses it, or run with PORT=<another port>.`
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
  const sources = envSources(ROOT);
  const env = effectiveEnv(sources);
  const plan = planStart(sources);
  if (plan.run === 'nothing') {
    console.error(plan.message);
    process.exit(1);
  } else if (plan.run === 'production') {
    if (plan.notice) console.warn(plan.notice);
    await startProduction(env);
  } else {
    const { demoBuildDir } = await import('./demo.ts');
    await runDemo({ port: Number(env.PORT || 4321), outDir: demoBuildDir('demo'), verbose: true });
  }
}
