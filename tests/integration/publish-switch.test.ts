/**
 * `npm run publish` (tools/publish.ts) against a running server, under a steady load of 32 connections
 * on a static page, a members page read anonymously and a premium page read by a premium reader: a
 * publish (one worker), a rollback (two workers) and a broken release that fails its check produce
 * zero failed or non-2xx requests, and the server serves what each step says it does. The broken
 * release's check runs under a short GATEPOST_PUBLISH_CHECK_TIMEOUT_MS, which its refusal names.
 * A scratch copy of the project, so its releases/ and caches are its own.
 */
import autocannon from 'autocannon';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatedSamples } from '../support/articles';
import {
  generateTestKeys,
  mintToken,
  readerClaims,
  serverEnv,
  sessionCookie,
  TEST_SITE_ORIGIN,
} from '../support/clerk-session';
import {
  runPublish,
  releaseProject,
  type ReleaseProject,
  servingRelease,
  startReleaseServer,
  type ReleaseServer,
} from '../support/releases';
import { ARTICLES_DIR } from '../../src/articles/folder';

const ARTICLE = 'measuring-lcp-on-slow-phones';
const { MEMBERS, PREMIUM } = gatedSamples();
const keys = generateTestKeys();
const premiumCookie = sessionCookie(mintToken(keys, readerClaims().premiumByMetadata));

let dir: string;
let env: NodeJS.ProcessEnv;
let server: ReleaseServer | undefined;

function setTitle(title: string) {
  const file = join(dir, ARTICLES_DIR, `${ARTICLE}.md`);
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^title: .*$/m, `title: "${title}"`));
}

const publish = (...args: string[]) => runPublish(dir, env, ...args);
const publishWith = (extra: NodeJS.ProcessEnv) => runPublish(dir, { ...env, ...extra });

async function startServer(workers: number) {
  server = await startReleaseServer(dir, env, workers);
}

async function stopServer() {
  await server?.stop();
  server = undefined;
}

/** Runs `during` under 32 connections of load, and keeps the load up 3 s after it. */
async function underLoad<T>(during: () => Promise<T>) {
  let stats: autocannon.Result | undefined;
  let stopLoad = () => {};
  const finished = new Promise<void>((resolve, reject) => {
    const instance = autocannon(
      {
        url: server!.url,
        connections: 32,
        duration: 600,
        requests: [{ path: '/' }, { path: MEMBERS }, { path: PREMIUM, headers: { cookie: premiumCookie } }],
      },
      (error, result) => (error ? reject(error) : ((stats = result), resolve())),
    );
    stopLoad = () => instance.stop();
  });
  await new Promise((r) => setTimeout(r, 1000));
  const outcome = await during();
  await new Promise((r) => setTimeout(r, 3000));
  stopLoad();
  await finished;
  return { outcome, stats: stats! };
}

/** What the server logged about requests it did not answer with a 2xx (for a failure's message). */
const notOk = () =>
  server!
    .output()
    .split('\n')
    .filter((line) => /"status":\s*[^2]/.test(line) || /"level":\s*50/.test(line))
    .slice(-20)
    .join('\n');
const failures = (stats: autocannon.Result) => ({
  errors: stats.errors,
  timeouts: stats.timeouts,
  non2xx: stats.non2xx,
  resets: stats.resets,
});
const NONE = { errors: 0, timeouts: 0, non2xx: 0, resets: 0 };
const home = async () => (await fetch(`${server!.url}/articles/${ARTICLE}/`)).text();
const serving = () => ({ release: servingRelease(dir) });

let project: ReleaseProject;
beforeAll(() => {
  project = releaseProject('gatepost-publish', serverEnv(keys, TEST_SITE_ORIGIN));
  ({ dir, env } = project);
});
afterAll(async () => {
  await stopServer();
  project.remove();
});

describe('npm run publish', () => {
  let first: string;
  let second: string;

  it('publishes a first release with no server running, and says how to start one', async () => {
    setTitle('Release one title');
    const result = await publish();
    expect(result.code, result.output.slice(-3000)).toBe(0);
    expect(result.output).toContain('npm run serve:release');
    first = readdirSync(join(dir, 'releases')).find((name) => /^\d{8}T/.test(name))!;
    expect(first).toBeTruthy();
  }, 300_000);

  it('switches a one-worker server to a new release with zero failed requests under load', async () => {
    await startServer(1);
    expect(await home()).toContain('Release one title');
    setTitle('Release two title');
    const { outcome, stats } = await underLoad(() => publish());
    expect(outcome.code, outcome.output.slice(-3000)).toBe(0);
    expect(failures(stats), `${JSON.stringify(stats.statusCodeStats)}\n${notOk()}`).toEqual(NONE);
    expect(stats.requests.total).toBeGreaterThan(100);
    expect(await home()).toContain('Release two title');
    // Incremental across releases: pages the edit did not touch came from the previous build.
    expect(outcome.output).toMatch(/\/articles\/[a-z0-9-]+\/index\.html \(restored\)/);
    expect(outcome.output).toMatch(/\/tags\/[a-z0-9-]+\/index\.html \(restored\)/);
    second = serving().release;
    expect(second).not.toBe(first);
    await stopServer();
  }, 400_000);

  it('refuses a check time limit that is not a whole number of milliseconds, before building', async () => {
    for (const value of ['0', '-5', '2.5', '3s', 'soon']) {
      const result = await publishWith({ GATEPOST_PUBLISH_CHECK_TIMEOUT_MS: value });
      expect(result.code, result.output).toBe(1);
      expect(result.output).toContain(
        `GATEPOST_PUBLISH_CHECK_TIMEOUT_MS must be a whole number of milliseconds ≥ 1, not "${value}"`,
      );
      expect(result.output).not.toContain('building release');
    }
  }, 60_000);

  it('never switches to a release that fails its check; the old one keeps serving (two workers)', async () => {
    await startServer(2);
    expect(await home()).toContain('Release two title');
    // A release whose /readyz says it is not ready.
    const readyz = join(dir, 'src/server/readyz.ts');
    const original = readFileSync(readyz, 'utf8');
    writeFileSync(readyz, original.replace('const ready = articles > 0;', 'const ready = articles < 0;'));
    setTitle('Broken release title');
    try {
      // Its /readyz answers 503 until the check's limit, set short here (the default is 180 s).
      const { outcome, stats } = await underLoad(() => publishWith({ GATEPOST_PUBLISH_CHECK_TIMEOUT_MS: '30000' }));
      expect(outcome.code).toBe(1);
      expect(outcome.output).toMatch(
        /failed its check, nothing was switched: its server was not ready within 30000 ms, the limit GATEPOST_PUBLISH_CHECK_TIMEOUT_MS sets .*GATEPOST_PUBLISH_CHECK_TIMEOUT_MS=180000 npm run publish\); last answer: \/readyz answered 503/,
      );
      expect(failures(stats), `${JSON.stringify(stats.statusCodeStats)}\n${notOk()}`).toEqual(NONE);
    } finally {
      writeFileSync(readyz, original);
    }
    expect(await home()).toContain('Release two title');
    expect(serving().release).toBe(second);
    expect(
      readdirSync(join(dir, 'releases'))
        .filter((name) => /^\d{8}T/.test(name))
        .sort(),
    ).toEqual([first, second]);
  }, 400_000);

  it('rolls back to the previous release with zero failed requests under load (two workers)', async () => {
    const { outcome, stats } = await underLoad(() => publish('--rollback'));
    expect(outcome.code, outcome.output).toBe(0);
    expect(failures(stats), `${JSON.stringify(stats.statusCodeStats)}\n${notOk()}`).toEqual(NONE);
    expect(await home()).toContain('Release one title');
    expect(serving().release).toBe(first);
    // Nothing older than the first release: a second rollback says so and changes nothing.
    const again = await publish('--rollback');
    expect(again.code).toBe(1);
    expect(again.output).toContain(`no release older than ${first}`);
    expect(await home()).toContain('Release one title');
  }, 200_000);
});
