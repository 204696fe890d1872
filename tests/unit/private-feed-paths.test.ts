/**
 * A private feed's token never reaches a log line (src/site/paths.ts `loggedPath`, used by the server's
 * request log and the session step's warning), whatever spelling of the path reaches the route.
 */
import { describe, expect, it } from 'vitest';
import { loggedPath, privateFeedPath } from '../../src/site/paths';

const TOKEN = 'f1.dXNlcl9hYmMKMQ.Q29tcGxldGVseS1tYWRlLXVwLW1hYy1mb3ItdGVzdHMtMTIzNDU2';

describe('loggedPath', () => {
  it('masks the token of a feed path, in both formats', () => {
    expect(loggedPath(privateFeedPath(TOKEN, 'rss'))).toBe('/feeds/<token>/rss.xml');
    expect(loggedPath(privateFeedPath(TOKEN, 'atom'))).toBe('/feeds/<token>/atom.xml');
  });

  it('masks spellings that still reach the route, and token-shaped segments anywhere', () => {
    for (const path of [
      `/./feeds/${TOKEN}/rss.xml`,
      `//feeds/${TOKEN}/rss.xml`,
      `/FEEDS/${TOKEN}/rss.xml`,
      `/feeds%2F${TOKEN}/rss.xml`,
      `/feeds//${TOKEN}/rss.xml`,
      `/x/../feeds/${TOKEN}`,
      `/anything/${TOKEN.replace(/\./g, '%2E')}`,
    ])
      expect(loggedPath(path), path).not.toContain(TOKEN.split('.')[2]!);
  });

  it('leaves every other path as it is', () => {
    for (const path of ['/', '/articles/a-post/', '/members/x/', '/rss.xml', '/api/private-feed', '/editor/members/'])
      expect(loggedPath(path)).toBe(path);
  });
});
