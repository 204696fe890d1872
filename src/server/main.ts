/**
 * The production server program. The build bundles this file into dist/server/gatepost.mjs
 * (./integration.ts), so a deployment needs only dist/ and node_modules: `npm run serve`, or
 * `node --max-semi-space-size=8 --heap-growing-percent=50 dist/server/gatepost.mjs` (tools/server-flags.ts).
 *
 * GATEPOST_WORKERS=1 (the default) serves from this process; more (or `auto`, one per core) makes this
 * process a cluster primary that starts the workers, replaces one that dies, and passes SIGTERM/SIGINT
 * on to them. Settings: ./config.ts and docs/deploy.md.
 *
 * Started from a release (`releases/current/server/gatepost.mjs`, made by `npm run publish`), the
 * process is always a cluster primary, whatever GATEPOST_WORKERS says, so that SIGHUP can start workers
 * on a new release and retire the old ones (./cluster.ts, docs/deploy.md "Releases").
 *
 * The members' store (src/members) is opened once per process and migrated before serving; with workers
 * the primary migrates before it starts them and runs the members sync, the workers open their own pool.
 */
import cluster from 'node:cluster';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClerkInstance } from '../clerk/signed-out';
import { startMembers, type MembersRuntime } from '../members/runtime';
import { newsletterKey, startNewsletters } from '../newsletters/runtime';
import { createApp, type AstroHandler } from './app';
import { startCardImages } from '../social/images';
import { CARD_WORKER_PROGRAM } from './program';
import { readServerConfig, type ServerConfig } from './config';
import { DRAIN_MESSAGE, runPrimary } from './cluster';
import { RELEASE_CHECK_VARIABLE, releasesDirOfProgram } from '../publish/releases';
import { startAutoPublish } from '../publish/auto-publish';
import { ARTICLES_DIR } from '../articles/folder';

interface AstroEntry {
  handler: AstroHandler;
  options: { client: string; server: string; port?: number; host?: string | boolean };
}

const here = new URL('./', import.meta.url);

function scriptHashes(): string[] {
  try {
    return JSON.parse(readFileSync(new URL('csp-hashes.json', here), 'utf8')) as string[];
  } catch {
    return [];
  }
}

/** dist/client, found from this file as @astrojs/node finds it from its entry (client and server keep their places). */
function clientDir(options: AstroEntry['options']): string {
  const relativePath = relative(fileURLToPath(options.server), fileURLToPath(options.client));
  return join(fileURLToPath(here), relativePath);
}

const log = (msg: string, level: 'info' | 'error' = 'info') =>
  process[level === 'error' ? 'stderr' : 'stdout'].write(
    `${JSON.stringify({ level: level === 'error' ? 50 : 30, time: Date.now(), pid: process.pid, msg })}\n`,
  );

/** Opens and migrates the members' store; a migration that fails (or a bad setting) stops the start. */
async function members(schedule: boolean): Promise<MembersRuntime> {
  try {
    return await startMembers(process.env, log, { schedule });
  } catch (error) {
    console.error(`[gatepost] members' store: ${(error as Error).message}`);
    process.exit(1);
  }
}

/**
 * Scheduled articles published by themselves (src/publish/auto-publish.ts), from the project's articles
 * folder (GATEPOST_CONTENT_DIR, else src/content/articles beside the releases folder).
 * GATEPOST_AUTO_PUBLISH_CHECK_SECONDS: how often the folder is read besides the scheduled times (default
 * 60); 0 turns automatic publishing off.
 */
function autoPublish(releasesDir: string): void {
  const value = process.env.GATEPOST_AUTO_PUBLISH_CHECK_SECONDS;
  const checkSeconds = value === undefined || value === '' ? 60 : Number(value);
  if (!Number.isFinite(checkSeconds) || checkSeconds < 0) {
    log(
      `GATEPOST_AUTO_PUBLISH_CHECK_SECONDS must be a number of seconds ≥ 0, not "${value}"; automatic publishing off`,
      'error',
    );
    return;
  }
  if (checkSeconds === 0) return;
  const articlesDir = process.env.GATEPOST_CONTENT_DIR || join(releasesDir, '..', ARTICLES_DIR);
  startAutoPublish({ releasesDir, articlesDir, checkSeconds, log });
}

/** How long a retired worker keeps answering (with `Connection: close`) before it stops listening. */
const DRAIN_MS = 2_000;

async function serve(config: ServerConfig, entry: AstroEntry, runtime: MembersRuntime): Promise<void> {
  const app = await createApp({
    clientDir: clientDir(entry.options),
    astroHandler: entry.handler,
    trustProxy: config.trustProxy,
    scriptHashes: scriptHashes(),
    members: runtime.store,
    unsubscribeKey: newsletterKey(process.env),
    // Social cards are drawn on a thread started on demand, running the program the build put beside this one.
    cards: startCardImages(config.cards, new URL(basename(CARD_WORKER_PROGRAM), here), (msg) => log(msg, 'error'))
      .images,
  });
  const { fastify } = app;
  // Every serving process runs the sending loop; the sender's lease in the store lets one send at a time.
  const newsletters = startNewsletters(process.env, runtime.store, log);

  // Astro reports readiness and its Clerk settings; asking once before listening also loads the
  // content and the middleware now (Clerk's configuration is reported at start, not on a first visit).
  const ready = await fastify.inject({ method: 'GET', url: '/readyz' });
  if (ready.statusCode === 200) {
    const state = ready.json<{ clerkOrigins?: string[]; clerkInstance?: ClerkInstance | null }>();
    // An answer without the instance keeps nothing from memory, rather than treating every reader as
    // signed out.
    app.setClerk({ origins: state.clerkOrigins ?? [], instance: state.clerkInstance });
  } else {
    fastify.log.error(`not ready at start (/readyz answered ${ready.statusCode}): ${ready.body.slice(0, 300)}`);
  }

  // Not close-with-grace: it exits at once on a second signal, and with workers each one gets SIGTERM
  // twice when a supervisor signals the whole process group (systemd's default) and the primary passes
  // it on; in-flight requests must still finish then.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    fastify.log.info(`${signal}: finishing in-flight requests (at most ${config.shutdownTimeoutMs} ms)`);
    const timer = setTimeout(() => {
      fastify.log.error('in-flight requests did not finish in time; closing their connections');
      fastify.server.closeAllConnections();
      process.exit(1);
    }, config.shutdownTimeoutMs);
    timer.unref();
    // A keep-alive connection whose request finishes after this would otherwise stay open until its
    // idle timeout: close connections as they become idle.
    const idle = setInterval(() => fastify.server.closeIdleConnections(), 100);
    idle.unref();
    // The batch in flight is finished and recorded before the store closes.
    // (Already closed when a release switch retired this worker: nothing more to close then.)
    await Promise.all([fastify.close().catch(() => undefined), newsletters.stop().catch(() => undefined)]);
    await runtime.close().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  // Retired by a release switch (./cluster.ts): the workers of the new release already listen. Every
  // response from now on (and every one in flight whose headers are not sent yet) closes its connection,
  // so keep-alive clients reconnect (to a new worker) after a complete response instead of finding their
  // idle connection closed under them. After DRAIN_MS, enough for busy connections to have sent a
  // request, the worker stops listening (the primary hands new connections to the new workers only) but
  // keeps answering, normally and with `Connection: close`, what still arrives on open connections:
  // not the 503 of a SIGTERM shutdown (fastify.close()), since nothing is wrong with these requests.
  // It exits once every connection has closed; idle ones are closed after the shutdown timeout, and
  // anything left after twice that.
  let draining = false;
  const inFlight = new Set<ServerResponse>();
  fastify.server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    if (draining) {
      res.shouldKeepAlive = false;
      return;
    }
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });
  const retire = async () => {
    if (stopping) return;
    stopping = true;
    await newsletters.stop().catch(() => undefined);
    await runtime.close().catch(() => undefined);
    process.exit(0);
  };
  process.on('message', (message) => {
    if (message !== DRAIN_MESSAGE || draining) return;
    draining = true;
    for (const res of inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
    setTimeout(() => {
      fastify.log.info('release switch: no longer listening; finishing the requests of open connections');
      // Node's close() also closes the connections idle at this moment.
      fastify.server.close(() => void retire());
      setTimeout(() => fastify.server.closeIdleConnections(), config.shutdownTimeoutMs).unref();
      setTimeout(() => {
        fastify.log.error('release switch: connections still open; closing them');
        fastify.server.closeAllConnections();
        void retire();
      }, 2 * config.shutdownTimeoutMs).unref();
    }, DRAIN_MS).unref();
  });

  await fastify.listen({ host: config.host, port: config.port });
}

async function main(): Promise<void> {
  // React and other libraries pick their production build from NODE_ENV when they load; Astro's entry
  // (and with it React) is imported only after this.
  process.env.NODE_ENV ??= 'production';
  let config: ServerConfig;
  try {
    config = readServerConfig(process.env);
  } catch (error) {
    console.error(`[gatepost] ${(error as Error).message}`);
    process.exit(1);
  }
  // A release being checked by `npm run publish` runs like a build outside the releases folder.
  const releasesDir =
    process.env[RELEASE_CHECK_VARIABLE] === '1' ? undefined : releasesDirOfProgram(fileURLToPath(import.meta.url));
  if (cluster.isPrimary && (config.workers > 1 || releasesDir)) {
    // Migrated once, here, before any worker starts; the primary also runs the members sync.
    await members(true);
    runPrimary(config.workers, releasesDir);
    if (releasesDir) autoPublish(releasesDir);
    return;
  }
  const runtime = await members(cluster.isPrimary);
  const entry = (await import(new URL('entry.mjs', here).href)) as AstroEntry;
  // PORT and HOST as @astrojs/node's standalone server read them.
  const withDefaults = readServerConfig(process.env, {
    port: entry.options.port,
    host: typeof entry.options.host === 'string' ? entry.options.host : entry.options.host ? '0.0.0.0' : undefined,
  });
  await serve(withDefaults, entry, runtime);
}

await main();
