/**
 * The stand-in's accounts: seeded demo readers, one per way Gatepost grants access, plus any a test
 * creates through the admin API. In memory only; every start begins from the seeds again.
 *
 * The passwords are public on purpose (README, docs/testing.md, the start-up banner): these accounts
 * exist only inside a local stand-in whose keys are generated per run and never leave the machine.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { InvitationData, MembershipData, OrganizationData, UserData } from './resources/index.ts';

export const DEMO_PASSWORD = 'gatepost-demo';

export interface Account extends UserData {
  password: string;
  publicMetadata: Record<string, unknown>;
  /** Clerk Billing plans of the user (`u:` scope in session tokens). */
  plans: string[];
  /** Clerk Billing features of the user. */
  features: string[];
  memberships: MembershipData[];
  /** Session token lifetime for this account in seconds; the stand-in's default when unset. */
  tokenLifetime?: number;
  /** Short name used in the banner and the docs. */
  handle: string;
  /** What this account demonstrates. */
  note: string;
}

export interface Organization extends OrganizationData {
  /** Clerk Billing plans of the organization (`o:` scope in session tokens). */
  plans: string[];
  /** Invitations its admins sent (no email goes out: the stand-in only lists them). */
  invitations: Invitation[];
}

export type Invitation = InvitationData;

export interface SeedOptions {
  /** Email domain of the seeded accounts. */
  domain?: string;
}

/** `o:team` in Gatepost's ENTITLEMENTS: members of an organization on the "team" plan read premium. */
const TEAM_ORG: Omit<Organization, 'createdAt' | 'invitations'> = {
  id: 'org_standin_acme',
  name: 'Acme Newsroom',
  slug: 'acme',
  publicMetadata: {},
  plans: ['team'],
  membersCount: 2,
};

export function seedAccounts(now = Date.now(), { domain = 'gatepost.test' }: SeedOptions = {}) {
  const acme: Organization = { ...TEAM_ORG, invitations: [], createdAt: now };
  const account = (
    handle: string,
    firstName: string,
    lastName: string,
    note: string,
    extra: Partial<Account> = {},
  ): Account => ({
    id: `user_standin_${handle}`,
    handle,
    note,
    email: `${handle}@${domain}`,
    password: DEMO_PASSWORD,
    firstName,
    lastName,
    publicMetadata: {},
    plans: [],
    features: [],
    memberships: [],
    createdAt: now,
    updatedAt: now,
    ...extra,
  });
  const accounts = [
    account('reader', 'Rae', 'Reader', 'signed in, no tier: reads members articles'),
    account('member', 'Milo', 'Member', 'public metadata {"tier":"members"}: reads members articles', {
      publicMetadata: { tier: 'members' },
    }),
    account('premium', 'Priya', 'Premium', 'public metadata {"tier":"premium"}: reads everything', {
      publicMetadata: { tier: 'premium' },
    }),
    account('team', 'Tomas', 'Team', 'member of "Acme Newsroom" (o:team plan): reads everything through it', {
      memberships: [{ id: 'orgmem_standin_team', organization: acme, role: 'org:member', createdAt: now }],
    }),
    account('owner', 'Olga', 'Owner', 'admin of "Acme Newsroom": its members and invitations on /account', {
      memberships: [{ id: 'orgmem_standin_owner', organization: acme, role: 'org:admin', createdAt: now }],
    }),
    account('editor', 'Edie', 'Editor', 'public metadata {"tier":"premium","roles":["editor"]}: editor desk', {
      publicMetadata: { tier: 'premium', roles: ['editor'] },
    }),
  ];
  return { accounts, organizations: [acme] };
}

export function newUserId(): string {
  return `user_standin_${randomBytes(8).toString('hex')}`;
}

/** Constant-time comparison, so even the demo doesn't teach the wrong habit. */
export function passwordMatches(account: Account, password: string): boolean {
  const a = Buffer.from(account.password);
  const b = Buffer.from(password);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Clerk's metadata merge (Backend API `PATCH /v1/users/:id/metadata`): top-level keys are merged into
 * what is there, and a key set to null is removed.
 */
export function mergeMetadata(current: Record<string, unknown>, patch: unknown): Record<string, unknown> {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return current;
  const next = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}
