/**
 * 0002: newsletters. Subscriptions, suppressed addresses, and the send ledger (src/members/queries/
 * newsletters.ts): one `email_sends` row per (article, newsletter), its recipients frozen into batches
 * when it is queued, each batch moving pending → sending → sent | failed | uncertain.
 * Forward-only: a released migration is never edited; a change is a new file.
 */
import type { Kysely } from 'kysely';

// Migrations see the database as it is at their point in history, not as ../schema.ts describes today.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // When each newsletter was first seen by a server: articles published before it are never sent
  // automatically.
  await db.schema
    .createTable('newsletters')
    .addColumn('slug', 'text', (c) => c.primaryKey())
    .addColumn('enabled_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('newsletter_subscriptions')
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('newsletter', 'text', (c) => c.notNull())
    .addColumn('subscribed', 'integer', (c) => c.notNull())
    // How the last change came: signup, account, unsubscribe-link.
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('newsletter_subscriptions_pk', ['member_id', 'newsletter'])
    .execute();
  await db.schema
    .createIndex('newsletter_subscriptions_newsletter_idx')
    .on('newsletter_subscriptions')
    .columns(['newsletter', 'subscribed'])
    .execute();

  await db.schema
    .createTable('email_suppressions')
    // Lowercase.
    .addColumn('email', 'text', (c) => c.primaryKey())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('email_sends')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('article', 'text', (c) => c.notNull())
    .addColumn('newsletter', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    // editor | auto
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text')
    // JSON: the message rendered once per tier, with placeholders for the personal links.
    .addColumn('bodies', 'text', (c) => c.notNull())
    // The site's origin when queued: where each recipient's unsubscribe link points.
    .addColumn('site_origin', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    // The database, not a check in memory, makes a second send of the same article impossible.
    .addUniqueConstraint('email_sends_article_newsletter_key', ['article', 'newsletter'])
    .execute();

  await db.schema
    .createTable('email_batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('send_id', 'text', (c) => c.notNull().references('email_sends.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    // pending | sending | sent | failed | uncertain
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('claimed_by', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('email_batches_send_idx').on('email_batches').columns(['send_id', 'seq']).execute();
  await db.schema
    .createIndex('email_batches_due_idx')
    .on('email_batches')
    .columns(['status', 'next_attempt_at'])
    .execute();

  await db.schema
    .createTable('email_recipients')
    .addColumn('send_id', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('batch_id', 'text', (c) => c.notNull().references('email_batches.id'))
    // Personal data: erased with the member.
    .addColumn('email', 'text')
    .addColumn('tier', 'text', (c) => c.notNull())
    // pending | sent | skipped | failed | bounced
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('error', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('email_recipients_pk', ['send_id', 'member_id'])
    .execute();
  await db.schema.createIndex('email_recipients_batch_idx').on('email_recipients').column('batch_id').execute();
  await db.schema.createIndex('email_recipients_member_idx').on('email_recipients').column('member_id').execute();
}
