/**
 * The editor's members list, in words: where each member's tier comes from, and the list's filters as
 * read from the query string. Plain TypeScript.
 */
import type { AccountTierSource } from '../gate/entitlements';
import { ACCESS_LEVEL_INFO, isAccessLevel, type AccessLevel } from '../gate/membership';

/** One short phrase per source, e.g. `Plan "team" (organization acme)`. */
export function describeMemberSource(source: AccountTierSource): string {
  const via = source.organization ? ` (organization ${source.organization.slug ?? source.organization.id})` : '';
  switch (source.kind) {
    case 'signed-in':
      return 'Free account';
    case 'user-metadata':
      return 'Public metadata';
    case 'billing-plan':
      return `Plan "${source.plan}"${via}`;
    case 'billing-feature':
      return `Feature "${source.feature}"${via}`;
    case 'organization-metadata':
      return `Organization ${source.organization?.slug ?? source.orgId} (metadata)`;
  }
}

export interface MembersFilters {
  q: string | undefined;
  tier: AccessLevel | undefined;
  page: number;
}

/** The list's filters from the query string; anything unusable is ignored. */
export function readMembersFilters(params: URLSearchParams): MembersFilters {
  const q = params.get('q')?.trim().slice(0, 200) || undefined;
  const tier = params.get('tier');
  const page = Number(params.get('page') ?? 1);
  return {
    q,
    tier: isAccessLevel(tier) && tier !== 'public' ? tier : undefined,
    page: Number.isInteger(page) && page >= 1 ? page : 1,
  };
}

export const tierLabel = (tier: AccessLevel) => ACCESS_LEVEL_INFO[tier].label;
