/**
 * Private feeds in the members' store (src/members/queries/private-feeds.ts), on SQLite and (with
 * GATEPOST_TEST_DATABASE_URL) PostgreSQL: migration 0003 applied over a store already at 0002 keeps its
 * members; a feed's version is created once, a reset raises it and the old version stops reading at
 * once; deleted members have no feed; distinct addresses are counted per day and flagged above the
 * threshold, and a reset clears the flag.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/members/migrations/index';
import {
  feedReader,
  feedVersion,
  flaggedFeeds,
  recordFetch,
  rotateFeed,
  utcDay,
} from '../../src/members/queries/private-feeds';
import { openStore, runMigrations, type MembersStore } from '../../src/members/store';
import { createTestDatabase, STORE_KINDS, type TestDatabase } from '../support/databases';

const NOW = Date.UTC(2026, 11, 5, 12);
const DAY = 86_400_000;

describe.each(STORE_KINDS)('private feeds in the store, %s', (kind) => {
  let database: TestDatabase;
  let store: MembersStore;

  const addMember = async (id: string, tier: string, email = `${id}@example.test`) => {
    const db = await store.database();
    await db.insertInto('members').values({ id, email, tier, created_at: NOW, updated_at: NOW }).execute();
  };

  beforeEach(async () => {
    database = await createTestDatabase(kind);
    store = openStore(database.config);
  });
  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  it('migrates a store that is at 0002 with members in it, keeping them', async () => {
    const { '0003_private_feeds': _feeds, ...before } = MIGRATIONS;
    expect(_feeds).toBeDefined();
    await runMigrations(store.db, before);
    await store.db
      .insertInto('members')
      .values({ id: 'user_old', email: 'old@example.test', tier: 'premium', created_at: NOW, updated_at: NOW })
      .execute();
    expect(await store.migrate()).toEqual({ applied: ['0003_private_feeds'] });
    expect(await feedVersion(store, 'user_old', NOW)).toBe(1);
    expect(await feedReader(store, 'user_old', 1)).toBe('premium');
  });

  it('creates a feed once, and a reset kills the old version at once', async () => {
    await addMember('user_a', 'premium');
    expect(await feedVersion(store, 'user_a', NOW)).toBe(1);
    expect(await feedVersion(store, 'user_a', NOW + 1)).toBe(1);
    expect(await feedReader(store, 'user_a', 1)).toBe('premium');
    expect(await rotateFeed(store, 'user_a', 'member', NOW + 2)).toBe(2);
    expect(await feedReader(store, 'user_a', 1)).toBeNull();
    expect(await feedReader(store, 'user_a', 2)).toBe('premium');
    expect(await feedVersion(store, 'user_a', NOW + 3)).toBe(2);
    expect(await rotateFeed(store, 'user_a', 'editor', NOW + 4)).toBe(3);
    expect(await feedReader(store, 'user_a', 2)).toBeNull();
    // A reset before any feed existed never reissues version 1.
    await addMember('user_b', 'members');
    expect(await rotateFeed(store, 'user_b', 'member', NOW)).toBe(2);
    expect(await feedReader(store, 'user_b', 1)).toBeNull();
  });

  it('reads the tier the store holds now, and has no feed for unknown or deleted members', async () => {
    await addMember('user_c', 'premium');
    const version = (await feedVersion(store, 'user_c', NOW))!;
    const db = await store.database();
    await db.updateTable('members').set({ tier: 'members' }).where('id', '=', 'user_c').execute();
    expect(await feedReader(store, 'user_c', version)).toBe('members');
    await db.updateTable('members').set({ tier: 'nonsense' }).where('id', '=', 'user_c').execute();
    expect(await feedReader(store, 'user_c', version)).toBe('public');
    await db.updateTable('members').set({ deleted_at: NOW, email: null }).where('id', '=', 'user_c').execute();
    expect(await feedReader(store, 'user_c', version)).toBeNull();
    expect(await feedVersion(store, 'user_c', NOW)).toBeNull();
    expect(await rotateFeed(store, 'user_c', 'member', NOW)).toBeNull();
    expect(await feedVersion(store, 'user_nobody', NOW)).toBeNull();
    expect(await feedReader(store, 'user_nobody', 1)).toBeNull();
  });

  it('counts distinct addresses per day, flags a feed above the threshold, and a reset clears it', async () => {
    await addMember('user_d', 'premium', 'sharer@example.test');
    await addMember('user_e', 'members');
    await feedVersion(store, 'user_d', NOW);
    await feedVersion(store, 'user_e', NOW);
    // The same address twice in a day counts once: h1, h2, h3, h4 make 4.
    await recordFetch(store, 'user_d', 'h1', NOW);
    await recordFetch(store, 'user_d', 'h1', NOW + 1000);
    for (const hash of ['h2', 'h3', 'h4']) await recordFetch(store, 'user_d', hash, NOW);
    await recordFetch(store, 'user_e', 'h1', NOW);
    await recordFetch(store, 'user_e', 'h2', NOW);
    // Yesterday's addresses count for yesterday only.
    await recordFetch(store, 'user_e', 'h3', NOW - DAY);
    expect(await flaggedFeeds(store, 3, NOW)).toEqual([
      { memberId: 'user_d', email: 'sharer@example.test', day: utcDay(NOW), addresses: 4 },
    ]);
    expect(await flaggedFeeds(store, 4, NOW)).toEqual([]);
    expect((await flaggedFeeds(store, 1, NOW)).map((f) => f.memberId)).toEqual(['user_d', 'user_e']);
    // user_e has 2 addresses today (h1, h2), not 3: yesterday's h3 is not today's.
    expect((await flaggedFeeds(store, 2, NOW)).map((f) => f.memberId)).toEqual(['user_d']);
    await rotateFeed(store, 'user_d', 'editor', NOW);
    expect(await flaggedFeeds(store, 3, NOW)).toEqual([]);
    // Records older than the kept period go with the member's next fetch.
    await recordFetch(store, 'user_e', 'h9', NOW + 8 * DAY);
    expect(await flaggedFeeds(store, 0, NOW + 8 * DAY)).toEqual([
      { memberId: 'user_e', email: 'user_e@example.test', day: utcDay(NOW + 8 * DAY), addresses: 1 },
    ]);
  });
});
