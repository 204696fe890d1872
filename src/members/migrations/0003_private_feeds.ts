/**
 * 0003: private feeds (src/members/queries/private-feeds.ts). One row per member who has a feed URL,
 * with the version their token must carry (a reset raises it), and the addresses each feed was fetched
 * from per day, as keyed hashes, to flag a URL shared too widely.
 * Forward-only: a released migration is never edited; a change is a new file.
 */
import type { Kysely } from 'kysely';

// Migrations see the database as it is at their point in history, not as ../schema.ts describes today.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('private_feeds')
    .addColumn('member_id', 'text', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    // Who reset it last: member | editor (null before the first reset).
    .addColumn('rotated_by', 'text')
    .addColumn('rotated_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('private_feed_fetches')
    .addColumn('member_id', 'text', (c) => c.notNull())
    // UTC date, YYYY-MM-DD.
    .addColumn('day', 'text', (c) => c.notNull())
    // HMAC of the client's address with a server-only key: never the address.
    .addColumn('address_hash', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('private_feed_fetches_pk', ['member_id', 'day', 'address_hash'])
    .execute();
  await db.schema.createIndex('private_feed_fetches_day_idx').on('private_feed_fetches').column('day').execute();
}
