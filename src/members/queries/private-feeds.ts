/**
 * Private feeds in the members' store: each member's current feed version (a token must carry it; a
 * reset raises it, so older URLs stop working at once), and the addresses each feed was fetched from per
 * UTC day, stored only as keyed hashes (src/feeds/token.ts), to flag a URL fetched from more places a day
 * than one reader has. Deleted members have no feed.
 */
import { sql, type Transaction } from 'kysely';
import { isAccessLevel, type AccessLevel } from '../../gate/membership';
import type { Database } from '../schema';
import type { MembersStore } from '../store';

/** Days of fetch records kept: the editor's list looks back this far. */
export const FETCH_DAYS_KEPT = 7;

/** The UTC day of `ms`, as stored (YYYY-MM-DD). */
export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

type Trx = Transaction<Database>;

/** True when the member is in the store and not deleted. */
async function isLiveMember(trx: Trx, memberId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('members')
    .select('id')
    .where('id', '=', memberId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

async function currentVersion(trx: Trx, memberId: string): Promise<number> {
  const row = await trx
    .selectFrom('private_feeds')
    .select('version')
    .where('member_id', '=', memberId)
    .executeTakeFirstOrThrow();
  return Number(row.version);
}

/**
 * The member's current feed version, creating their feed (version 1) on first use. Null when the member
 * is not in the store (not mirrored yet) or was deleted.
 */
export async function feedVersion(store: MembersStore, memberId: string, now: number): Promise<number | null> {
  const db = await store.database();
  return db.transaction().execute(async (trx) => {
    if (!(await isLiveMember(trx, memberId))) return null;
    await trx
      .insertInto('private_feeds')
      .values({ member_id: memberId, version: 1, created_at: now })
      .onConflict((oc) => oc.column('member_id').doNothing())
      .execute();
    return currentVersion(trx, memberId);
  });
}

/**
 * A new feed version for the member (the old URL stops working at once) and their fetch records
 * cleared, in one transaction. Null when the member is not in the store or was deleted.
 */
export async function rotateFeed(
  store: MembersStore,
  memberId: string,
  by: 'member' | 'editor',
  now: number,
): Promise<number | null> {
  const db = await store.database();
  return db.transaction().execute(async (trx) => {
    if (!(await isLiveMember(trx, memberId))) return null;
    // Version 2 for a member whose feed is created by the reset itself: a version-1 token was never shown.
    await trx
      .insertInto('private_feeds')
      .values({ member_id: memberId, version: 2, rotated_by: by, rotated_at: now, created_at: now })
      .onConflict((oc) =>
        oc.column('member_id').doUpdateSet({
          version: sql<number>`private_feeds.version + 1`,
          rotated_by: by,
          rotated_at: now,
        }),
      )
      .execute();
    await trx.deleteFrom('private_feed_fetches').where('member_id', '=', memberId).execute();
    return currentVersion(trx, memberId);
  });
}

/**
 * The tier a feed token of `version` reads with, now: the member's tier from the store when the member
 * exists, is not deleted, and `version` is their feed's current one; otherwise null (the feed is 404).
 */
export async function feedReader(store: MembersStore, memberId: string, version: number): Promise<AccessLevel | null> {
  const db = await store.database();
  const row = await db
    .selectFrom('private_feeds as f')
    .innerJoin('members as m', 'm.id', 'f.member_id')
    .select(['m.tier'])
    .where('f.member_id', '=', memberId)
    .where('f.version', '=', version)
    .where('m.deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  // A tier the rule does not know reads as the lowest level (fails closed).
  return isAccessLevel(row.tier) ? row.tier : 'public';
}

/**
 * Records that the member's feed was fetched from `addressHash` today (once per address and day) and drops
 * the member's records older than FETCH_DAYS_KEPT. Counting is left to the editors' list (flaggedFeeds),
 * so a feed fetch pays for no count.
 */
export async function recordFetch(
  store: MembersStore,
  memberId: string,
  addressHash: string,
  now: number,
): Promise<void> {
  const db = await store.database();
  const day = utcDay(now);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('private_feed_fetches')
      .values({ member_id: memberId, day, address_hash: addressHash, first_seen_at: now })
      .onConflict((oc) => oc.columns(['member_id', 'day', 'address_hash']).doNothing())
      .execute();
    await trx
      .deleteFrom('private_feed_fetches')
      .where('member_id', '=', memberId)
      .where('day', '<', utcDay(now - FETCH_DAYS_KEPT * 86_400_000))
      .execute();
  });
}

export interface FlaggedFeed {
  memberId: string;
  email: string | null;
  /** The latest day its addresses went over the threshold (YYYY-MM-DD). */
  day: string;
  /** The most distinct addresses on any one day of the period. */
  addresses: number;
}

/**
 * Feeds fetched from more than `maxAddresses` distinct addresses on one UTC day within the last
 * FETCH_DAYS_KEPT days, most addresses first. A reset clears a feed's records, so it leaves the list.
 */
export async function flaggedFeeds(store: MembersStore, maxAddresses: number, now: number): Promise<FlaggedFeed[]> {
  const db = await store.database();
  const rows = await db
    .selectFrom('private_feed_fetches as x')
    .innerJoin('members as m', 'm.id', 'x.member_id')
    .select(['x.member_id', 'm.email', 'x.day', (eb) => eb.fn.countAll<number>().as('addresses')])
    .where('m.deleted_at', 'is', null)
    .where('x.day', '>=', utcDay(now - FETCH_DAYS_KEPT * 86_400_000))
    .groupBy(['x.member_id', 'm.email', 'x.day'])
    .having((eb) => eb.fn.countAll(), '>', maxAddresses)
    .execute();
  const byMember = new Map<string, FlaggedFeed>();
  for (const row of rows) {
    const addresses = Number(row.addresses);
    const seen = byMember.get(row.member_id);
    if (!seen) byMember.set(row.member_id, { memberId: row.member_id, email: row.email, day: row.day, addresses });
    else {
      if (row.day > seen.day) seen.day = row.day;
      if (addresses > seen.addresses) seen.addresses = addresses;
    }
  }
  return [...byMember.values()].sort((a, b) => b.addresses - a.addresses || a.memberId.localeCompare(b.memberId));
}
