/**
 * Scheduled articles go live by themselves (issue 25, point 3), with a short clock: a server started
 * from releases/current in a project with its articles folder notices an article scheduled a few
 * seconds ahead, and at that time publishes it (build, check, switch) without anyone running a command.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  runPublish,
  releaseProject,
  type ReleaseProject,
  servingRelease,
  startReleaseServer,
  type ReleaseServer,
} from '../support/releases';
import { ARTICLES_DIR } from '../../src/articles/folder';
import { servingArticles } from '../../src/publish/serving';
import {
  generateTestKeys,
  mintToken,
  readerClaims,
  serverEnv,
  sessionCookie,
  TEST_SITE_ORIGIN,
} from '../support/clerk-session';

const SLUG = 'goes-live-by-itself';
let dir: string;
let env: NodeJS.ProcessEnv;
let server: ReleaseServer | undefined;
const keys = generateTestKeys();
// The editor desk, as an editor sees it: its publishing section.
const desk = async (selector: string) => {
  const html = await (
    await fetch(`${server!.url}/editor/`, {
      headers: { cookie: sessionCookie(mintToken(keys, readerClaims().editor)) },
    })
  ).text();
  return new RegExp(`<dd[^>]*${selector}[^>]*>([^<]*)<`).exec(html)?.[1]?.trim();
};

let project: ReleaseProject;
beforeAll(() => {
  project = releaseProject('gatepost-auto-publish', {
    ...serverEnv(keys, TEST_SITE_ORIGIN),
    GATEPOST_MEMBERS_SYNC_MINUTES: '0',
    // The short clock: the folder is read every 2 s instead of every minute.
    GATEPOST_AUTO_PUBLISH_CHECK_SECONDS: '2',
  });
  ({ dir, env } = project);
});
afterAll(async () => {
  await server?.stop();
  project.remove();
});

describe('a scheduled article', () => {
  it('goes live at its time without an operator', async () => {
    const first = await runPublish(dir, env);
    expect(first.code, first.output.slice(-3000)).toBe(0);
    server = await startReleaseServer(dir, env, 1);
    const firstRelease = servingRelease(dir);

    const pubDate = new Date(Date.now() + 15_000);
    writeFileSync(
      join(dir, ARTICLES_DIR, `${SLUG}.md`),
      `---\ntitle: "Goes live by itself"\ndescription: "Scheduled a few seconds ahead."\n` +
        `pubDate: ${pubDate.toISOString()}\nauthor: "Test"\ntags: [editorial]\naccess: public\n---\n\nOn time.\n`,
    );
    const page = `${server.url}/articles/${SLUG}/`;
    expect(await desk('data-last-publish')).toBe('none yet');
    expect((await fetch(page)).status).toBe(404);

    // The server notices the scheduled time (releases/auto-publish.json says when).
    await expect
      .poll(() => JSON.parse(readFileSync(join(dir, 'releases/auto-publish.json'), 'utf8')).next, { timeout: 10_000 })
      .toBe(pubDate.toISOString());
    const nextBefore = await desk('data-next-publish');
    expect(nextBefore).toContain(`${pubDate.toISOString().slice(11, 16)} UTC`);

    const deadline = Date.now() + 240_000;
    let status = 404;
    while (Date.now() < deadline && status !== 200) {
      await new Promise((r) => setTimeout(r, 1000));
      status = (await fetch(page)).status;
      // Never before its time.
      if (status === 200) expect(Date.now()).toBeGreaterThanOrEqual(pubDate.getTime());
    }
    expect(status, server.output().slice(-3000)).toBe(200);
    expect(await (await fetch(page)).text()).toContain('On time.');
    expect(servingRelease(dir)).not.toBe(firstRelease);
    expect(servingArticles(join(dir, 'releases'))?.articles.map((a) => a.slug)).toContain(SLUG);
    const state = JSON.parse(readFileSync(join(dir, 'releases/auto-publish.json'), 'utf8'));
    expect(state.last.outcome).toBe('published');
    expect(state.last.durationMs).toBeGreaterThan(0);
    expect(new Date(state.last.at).getTime()).toBeGreaterThanOrEqual(pubDate.getTime());
    // The desk says so: when, how long, the outcome; the next is no longer this one.
    await expect.poll(() => desk('data-last-publish'), { timeout: 10_000 }).toMatch(/ UTC, took \d+\.\d s, published$/);
    // The next one is another article's (the sample site has one scheduled far ahead), or none.
    expect(await desk('data-next-publish')).not.toBe(nextBefore);
    expect(await desk('data-last-switch')).toMatch(/ UTC, took \d+\.\d s, switched$/);
  }, 480_000);
});
