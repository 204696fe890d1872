/**
 * 0001: the mirror of Clerk's members, organizations, memberships and Billing, the webhook ledger and the
 * job leases. Forward-only: a released migration is never edited; a change is a new file.
 */
import { sql, type Kysely } from 'kysely';

// Migrations see the database as it is at their point in history, not as ../schema.ts describes today.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('members')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text')
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text')
    .addColumn('public_metadata', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('tier', 'text', (c) => c.notNull())
    .addColumn('tier_sources', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('editor', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('clerk_created_at', 'bigint')
    .addColumn('clerk_updated_at', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('deleted_at', 'bigint')
    .addColumn('last_event_at', 'bigint')
    .addColumn('synced_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // Search by email is case-insensitive; the editor's list filters by tier and sorts by joining date.
  await db.schema
    .createIndex('members_email_idx')
    .on('members')
    .column(sql`lower(email)`)
    .execute();
  await db.schema.createIndex('members_tier_idx').on('members').columns(['tier', 'clerk_created_at']).execute();
  await db.schema.createIndex('members_joined_idx').on('members').column('clerk_created_at').execute();

  await db.schema
    .createTable('organizations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text')
    .addColumn('slug', 'text')
    .addColumn('public_metadata', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('clerk_updated_at', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('deleted_at', 'bigint')
    .addColumn('last_event_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  // No foreign keys to members or organizations: Clerk may deliver a membership before its user or its
  // organization, and the mirror keeps it until they arrive.
  await db.schema
    .createTable('organization_memberships')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('role', 'text')
    .addColumn('permissions', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('clerk_updated_at', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('deleted_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('memberships_user_idx').on('organization_memberships').column('user_id').execute();
  await db.schema
    .createIndex('memberships_organization_idx')
    .on('organization_memberships')
    .column('organization_id')
    .execute();

  await db.schema
    .createTable('billing_plans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('payer_type', 'text', (c) => c.notNull())
    .addColumn('features', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('billing_subscription_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('payer_type', 'text', (c) => c.notNull())
    .addColumn('payer_id', 'text', (c) => c.notNull())
    .addColumn('plan_id', 'text')
    .addColumn('plan_slug', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('clerk_updated_at', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('subscription_items_payer_idx')
    .on('billing_subscription_items')
    .column('payer_id')
    .execute();

  await db.schema
    .createTable('processed_events')
    .addColumn('svix_id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('processed_events_received_idx').on('processed_events').column('received_at').execute();

  await db.schema
    .createTable('jobs')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('lease_holder', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('last_started_at', 'bigint')
    .addColumn('last_finished_at', 'bigint')
    .addColumn('last_outcome', 'text')
    .execute();
}
