/**
 * The members' store's tables, as Kysely sees them. The migrations in ./migrations create them; a
 * migration that adds or changes a table changes its interface here in the same commit.
 *
 * Conventions, the same in SQLite and PostgreSQL: ids are Clerk's (text); times are milliseconds since
 * the epoch (bigint); flags are 0/1 integers; lists and metadata are JSON text, never queried inside.
 * Columns the database fills with a default are `Generated`. `clerk_updated_at` is the version of a mirrored row: Clerk's `updated_at` (or the event's timestamp when
 * the payload has none); nothing older ever overwrites it.
 */
import type { Generated } from 'kysely';

export interface MembersTable {
  /** Clerk's user id. */
  id: string;
  /** Personal data: erased when the user is deleted. */
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  /** The user's public metadata (JSON): tier and roles live there. */
  public_metadata: Generated<string>;
  /** Computed by the one entitlement rule (src/gate/entitlements.ts) whenever an input changes. */
  tier: string;
  /** JSON AccountTierSource[]: where `tier` comes from. */
  tier_sources: Generated<string>;
  editor: Generated<number>;
  clerk_created_at: number | null;
  clerk_updated_at: Generated<number>;
  /** Set when Clerk deleted the user: the row stays as an opaque id, its personal data gone. */
  deleted_at: number | null;
  /** When a webhook about this member last arrived (this server's clock). */
  last_event_at: number | null;
  /** When `npm run members:sync` last confirmed this member against Clerk's Backend API. */
  synced_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface OrganizationsTable {
  id: string;
  name: string | null;
  slug: string | null;
  public_metadata: Generated<string>;
  clerk_updated_at: Generated<number>;
  deleted_at: number | null;
  last_event_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface OrganizationMembershipsTable {
  /** Clerk's membership id. */
  id: string;
  organization_id: string;
  user_id: string;
  role: string | null;
  /** JSON string[]: the member's permissions in the organization, as Clerk lists them. */
  permissions: Generated<string>;
  clerk_updated_at: Generated<number>;
  deleted_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface BillingPlansTable {
  /** Clerk's plan id. */
  id: string;
  slug: string;
  payer_type: 'user' | 'org';
  /** JSON string[]: slugs of the features the plan includes. */
  features: Generated<string>;
  updated_at: number;
}

export interface BillingSubscriptionItemsTable {
  /** Clerk's subscription item id. */
  id: string;
  payer_type: 'user' | 'org';
  /** The user's or the organization's id. */
  payer_id: string;
  plan_id: string | null;
  plan_slug: string;
  /** Clerk's item status; only `active` grants the plan (src/members/tier.ts). */
  status: string;
  clerk_updated_at: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface ProcessedEventsTable {
  /** The `svix-id` of a webhook that was applied; a second delivery finds it and changes nothing. */
  svix_id: string;
  type: string;
  received_at: number;
}

export interface JobsTable {
  /** e.g. `members-sync`. */
  name: string;
  /** Who runs it now (host and process), and until when that claim holds. */
  lease_holder: string | null;
  lease_until: number | null;
  last_started_at: number | null;
  last_finished_at: number | null;
  /** JSON: what the last run reported, or its error. */
  last_outcome: string | null;
}

export interface NewslettersTable {
  slug: string;
  /** When a server first saw the newsletter declared: older articles are never sent automatically. */
  enabled_at: number;
}

export interface NewsletterSubscriptionsTable {
  member_id: string;
  /** A slug from src/site/newsletters.ts. */
  newsletter: string;
  subscribed: number;
  /** How the last change came: `signup`, `account` or `unsubscribe-link`. */
  source: string;
  changed_at: number;
  created_at: number;
}

export interface EmailSuppressionsTable {
  /** Lowercase. */
  email: string;
  /** `bounce`: the receiving server refused the address permanently (SMTP 5xx). */
  reason: string;
  detail: string | null;
  created_at: number;
}

export interface EmailSendsTable {
  id: string;
  article: string;
  newsletter: string;
  subject: string;
  trigger: 'editor' | 'auto';
  requested_by: string | null;
  /** JSON Record<tier, RenderedEmail>: rendered once per tier when queued. */
  bodies: string;
  /** The site's origin when queued: where each recipient's unsubscribe link points. */
  site_origin: string;
  /** Recipients frozen into batches when queued. */
  total: number;
  created_at: number;
  finished_at: number | null;
}

export type BatchStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'uncertain';

export interface EmailBatchesTable {
  id: string;
  send_id: string;
  seq: number;
  status: BatchStatus;
  attempts: Generated<number>;
  /** A pending batch is not claimed before this time (backoff after a temporary failure). */
  next_attempt_at: number;
  claimed_by: string | null;
  error: string | null;
  created_at: number;
  updated_at: number;
}

export type RecipientStatus = 'pending' | 'sent' | 'skipped' | 'failed' | 'bounced';

export interface EmailRecipientsTable {
  send_id: string;
  member_id: string;
  batch_id: string;
  /** Personal data: erased with the member. */
  email: string | null;
  tier: string;
  status: RecipientStatus;
  /** The Message-ID the SMTP server accepted. */
  message_id: string | null;
  error: string | null;
  updated_at: number;
}

export interface Database {
  members: MembersTable;
  organizations: OrganizationsTable;
  organization_memberships: OrganizationMembershipsTable;
  billing_plans: BillingPlansTable;
  billing_subscription_items: BillingSubscriptionItemsTable;
  processed_events: ProcessedEventsTable;
  jobs: JobsTable;
  newsletters: NewslettersTable;
  newsletter_subscriptions: NewsletterSubscriptionsTable;
  email_suppressions: EmailSuppressionsTable;
  email_sends: EmailSendsTable;
  email_batches: EmailBatchesTable;
  email_recipients: EmailRecipientsTable;
}
