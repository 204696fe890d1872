/**
 * Reading the members mirror: the editor's list (src/pages/editor/members) and counts per tier. Deleted
 * members (tombstones without personal data) are never listed or counted.
 */
import { sql } from 'kysely';
import type { AccountTierSource } from '../../gate/entitlements';
import { ACCESS_LEVELS, isAccessLevel, type AccessLevel } from '../../gate/membership';
import type { MembersStore } from '../store';
import { parseJson } from '../tier';

export const MEMBERS_PAGE_SIZE = 50;

export interface MemberListItem {
  id: string;
  email: string | null;
  name: string | null;
  tier: AccessLevel;
  sources: AccountTierSource[];
  editor: boolean;
  /** When the member joined Clerk (ms), if known. */
  joinedAt: number | null;
  /** When a webhook about them last arrived (ms), if ever. */
  lastEventAt: number | null;
}

export interface MemberListQuery {
  /** Part of an email address, any case. */
  search?: string | undefined;
  tier?: AccessLevel | undefined;
  /** 1-based. */
  page?: number | undefined;
  pageSize?: number | undefined;
}

export interface MemberList {
  items: MemberListItem[];
  /** Members matching the query, over all pages. */
  total: number;
  page: number;
  pages: number;
}

/** `%` and `_` are LIKE wildcards: a search for them means the characters themselves. */
const likePattern = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function listMembers(store: MembersStore, query: MemberListQuery = {}): Promise<MemberList> {
  const db = await store.database();
  const pageSize = query.pageSize ?? MEMBERS_PAGE_SIZE;
  const search = query.search?.trim();
  let base = db.selectFrom('members').where('deleted_at', 'is', null);
  if (query.tier) base = base.where('tier', '=', query.tier);
  // ESCAPE names the backslash for both databases (SQLite has no default escape character).
  if (search) base = base.where(sql<boolean>`lower(email) like ${likePattern(search)} escape '\\'`);
  const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const pages = Math.max(1, Math.ceil(Number(total) / pageSize));
  const page = Math.min(Math.max(1, Math.floor(query.page ?? 1)), pages);
  const rows = await base
    .select([
      'id',
      'email',
      'first_name',
      'last_name',
      'tier',
      'tier_sources',
      'editor',
      'clerk_created_at',
      'last_event_at',
    ])
    .orderBy('clerk_created_at', 'desc')
    .orderBy('id')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return {
    items: rows.map((row) => ({
      id: row.id,
      email: row.email,
      name: [row.first_name, row.last_name].filter(Boolean).join(' ') || null,
      tier: isAccessLevel(row.tier) ? row.tier : 'members',
      sources: parseJson<AccountTierSource[]>(row.tier_sources, []),
      editor: row.editor === 1,
      joinedAt: row.clerk_created_at,
      lastEventAt: row.last_event_at,
    })),
    total: Number(total),
    page,
    pages,
  };
}

/** Members per tier, every level present (zero when none). */
export async function countByTier(store: MembersStore): Promise<Record<AccessLevel, number>> {
  const db = await store.database();
  const rows = await db
    .selectFrom('members')
    .select(['tier', (eb) => eb.fn.countAll<number>().as('count')])
    .where('deleted_at', 'is', null)
    .groupBy('tier')
    .execute();
  const counts = Object.fromEntries(ACCESS_LEVELS.map((level) => [level, 0])) as Record<AccessLevel, number>;
  for (const row of rows) if (isAccessLevel(row.tier)) counts[row.tier] += Number(row.count);
  return counts;
}
