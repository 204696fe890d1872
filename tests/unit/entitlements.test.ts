/**
 * The one entitlement rule (src/gate/entitlements.ts) with its two inputs: a session (Clerk's verified
 * auth object) and a member record (the mirror's account facts). The property test builds the same
 * generated account both ways: as a record, and as the session tokens Clerk would mint for it (one per
 * organization the reader can make active, v2 claims: `pla`, `fea`, `o` with `per`/`fpm`), verified by
 * Clerk's own SDK (`authenticateRequest`, networkless with the test key) and read through its real
 * `has()`. The record's tier must be the best of the sessions' tiers, context by context.
 */
import { createClerkClient } from '@clerk/backend';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accountEntitlements,
  accountHas,
  entitlementsOf,
  type Account,
  type AccountOrganization,
} from '../../src/gate/entitlements';
import { accessRank } from '../../src/gate/membership';
import { viewerFromAuth } from '../../src/gate/viewer';
import { generateTestKeys, mintToken, sessionCookie, TEST_SITE_ORIGIN } from '../support/clerk-session';

const account = (overrides: Partial<Account> = {}): Account => ({
  publicMetadata: {},
  plans: [],
  features: [],
  organizations: [],
  ...overrides,
});

const org = (overrides: Partial<AccountOrganization> = {}): AccountOrganization => ({
  id: 'org_1',
  slug: 'acme',
  metadata: {},
  plans: [],
  features: [],
  permissions: [],
  ...overrides,
});

describe('accountHas: Clerk’s has() answered from a record', () => {
  const record = account({
    plans: ['premium', 'team'],
    features: ['premium_articles'],
    organizations: [org({ plans: ['team'], features: ['articles'], permissions: ['org:articles:edit'] })],
  });
  const active = accountHas(record, record.organizations[0]!);
  const none = accountHas(record, null);

  it('matches a bare name in either scope and a scoped name in its own only', () => {
    expect(none({ plan: 'premium' })).toBe(true);
    expect(none({ plan: 'u:team' })).toBe(true);
    expect(none({ plan: 'o:team' })).toBe(false);
    expect(active({ plan: 'o:team' })).toBe(true);
    expect(active({ plan: 'org:team' })).toBe(true);
    expect(active({ plan: 'x:team' })).toBe(false);
    expect(none({ feature: 'premium_articles' })).toBe(true);
    expect(none({ feature: 'o:articles' })).toBe(false);
    expect(active({ feature: 'o:articles' })).toBe(true);
  });

  it('grants permissions only within the active organization, with or without the org: prefix', () => {
    expect(none({ permission: 'org:articles:edit' })).toBe(false);
    expect(active({ permission: 'org:articles:edit' })).toBe(true);
    expect(active({ permission: 'articles:edit' })).toBe(true);
    expect(active({ permission: 'org:articles:delete' })).toBe(false);
  });

  it('needs every dimension asked for, and refuses an empty or malformed question', () => {
    expect(active({ plan: 'o:team', permission: 'org:articles:edit' })).toBe(true);
    expect(active({ plan: 'o:gold', permission: 'org:articles:edit' })).toBe(false);
    expect(active({})).toBe(false);
    expect(active({ plan: 3 as unknown as string })).toBe(false);
  });
});

describe('accountEntitlements: the best over no organization and each organization', () => {
  it('a free account is a member, from the account itself', () => {
    expect(accountEntitlements(account())).toEqual({
      tier: 'members',
      sources: [{ kind: 'signed-in' }],
      roles: [],
      editor: false,
    });
  });

  it('an organization’s metadata or plan raises the tier, and the source names the organization', () => {
    const byMetadata = accountEntitlements(
      account({ organizations: [org(), org({ id: 'org_2', slug: 'press', metadata: { tier: 'premium' } })] }),
    );
    expect(byMetadata.tier).toBe('premium');
    expect(byMetadata.sources).toEqual([
      { kind: 'organization-metadata', orgId: 'org_2', organization: { id: 'org_2', slug: 'press' } },
    ]);
    const byPlan = accountEntitlements(account({ organizations: [org({ plans: ['team'] })] }));
    expect(byPlan.sources).toEqual([
      { kind: 'billing-plan', plan: 'o:team', organization: { id: 'org_1', slug: 'acme' } },
    ]);
  });

  it('a source of the reader’s own is listed once, without an organization', () => {
    const result = accountEntitlements(
      account({ publicMetadata: { tier: 'premium' }, organizations: [org(), org({ id: 'org_2' })] }),
    );
    expect(result.sources).toEqual([{ kind: 'user-metadata' }]);
  });

  it('an editor through metadata, or through the permission in any organization', () => {
    expect(accountEntitlements(account({ publicMetadata: { roles: ['editor'] } })).editor).toBe(true);
    expect(accountEntitlements(account({ organizations: [org({ permissions: ['org:articles:edit'] })] })).editor).toBe(
      true,
    );
    expect(accountEntitlements(account({ organizations: [org({ permissions: ['org:articles:read'] })] })).editor).toBe(
      false,
    );
  });

  it('never reads anything but public metadata, plans, features and permissions', () => {
    const sneaky = account({ publicMetadata: { tier: 'platinum', roles: 'editor' } }) as Account & {
      unsafeMetadata: unknown;
    };
    sneaky.unsafeMetadata = { tier: 'premium', roles: ['editor'] };
    expect(accountEntitlements(sneaky)).toMatchObject({ tier: 'members', editor: false, roles: [] });
  });
});

describe('entitlementsOf is the rule sessions use', () => {
  it('gives a session the same answer as the same facts from a record', () => {
    const record = account({ plans: ['premium'], features: ['premium_articles'] });
    const fromRecord = entitlementsOf({ userMetadata: {}, organization: null, has: accountHas(record, null) });
    const fromSession = viewerFromAuth({
      userId: 'user_1',
      sessionId: 'sess_1',
      sessionClaims: { metadata: {} },
      has: accountHas(record, null),
    });
    expect(fromSession).toMatchObject({
      tier: fromRecord.tier,
      sources: fromRecord.sources,
      editor: fromRecord.editor,
    });
  });
});

// --- The property: record → tier equals session token → Clerk's SDK → tier ---------------------------

/** Plans the generated instance sells, with the features each includes (the mirror's plan catalogue). */
const USER_PLANS: Record<string, string[]> = {
  premium: ['premium_articles'],
  free_user: [],
  supporter: ['premium_articles', 'badge'],
  team: [],
};
const ORG_PLANS: Record<string, string[]> = {
  team: ['articles'],
  org_basic: [],
  premium: ['premium_articles', 'articles'],
  newsroom: ['articles', 'premium_articles'],
};
const PERMISSION_NAMES = ['edit', 'read', 'publish'];

const tierLike = fc.constantFrom(undefined, 'members', 'premium', 'public', 'Premium', 'gold');
const metadata = fc.record(
  { tier: tierLike, roles: fc.subarray(['editor', 'writer', 'Editor']) },
  { requiredKeys: [] },
);

const organizationArb = (index: number) =>
  fc
    .record({
      metadata: fc.record({ tier: tierLike }, { requiredKeys: [] }),
      plans: fc.subarray(Object.keys(ORG_PLANS)),
      role: fc.constantFrom('org:member', 'org:admin', 'org:editor'),
      permissionPicks: fc.subarray(PERMISSION_NAMES),
    })
    .map(({ metadata, plans, role, permissionPicks }) => {
      const features = [...new Set(plans.flatMap((p) => ORG_PLANS[p]!))];
      // Clerk's custom permissions belong to a feature of the organization's plan (`org:<feature>:<perm>`).
      const permissions = features.flatMap((feature) => permissionPicks.map((p) => `org:${feature}:${p}`));
      return {
        id: `org_${index}`,
        slug: `org-${index}`,
        metadata,
        plans,
        features,
        permissions,
        role,
      };
    });

const accountArb = fc
  .record({
    publicMetadata: metadata,
    plans: fc.subarray(Object.keys(USER_PLANS)),
    organizationCount: fc.integer({ min: 0, max: 3 }),
  })
  .chain(({ publicMetadata, plans, organizationCount }) =>
    fc.tuple(...Array.from({ length: organizationCount }, (_, i) => organizationArb(i))).map((organizations) => ({
      publicMetadata,
      plans,
      features: [...new Set(plans.flatMap((p) => USER_PLANS[p]!))],
      organizations,
    })),
  );

/** Clerk's v2 `o.per` / `o.fpm`: permission names, and per organization feature a bitmask over them. */
function encodePermissions(features: string[], permissions: string[]) {
  const names = [...new Set(permissions.map((p) => p.split(':')[2]!))];
  const fpm = features.map((feature) =>
    names.reduce((mask, name, i) => (permissions.includes(`org:${feature}:${name}`) ? mask | (1 << i) : mask), 0),
  );
  return names.length ? { per: names.join(','), fpm: fpm.join(',') } : {};
}

/** The claims of the session token Clerk would mint for this account with `organization` active. */
type GeneratedAccount = typeof accountArb extends fc.Arbitrary<infer T> ? T : never;

function claimsFor(generated: GeneratedAccount, organization: GeneratedAccount['organizations'][number] | null) {
  const scoped = (scope: string, names: string[]) => names.map((n) => `${scope}:${n}`);
  const pla = [...scoped('u', generated.plans), ...(organization ? scoped('o', organization.plans) : [])].join(',');
  const fea = [...scoped('u', generated.features), ...(organization ? scoped('o', organization.features) : [])].join(
    ',',
  );
  return {
    v: 2,
    metadata: generated.publicMetadata,
    ...(pla ? { pla } : {}),
    ...(fea ? { fea } : {}),
    ...(organization
      ? {
          o: {
            id: organization.id,
            slg: organization.slug,
            rol: organization.role.replace(/^org:/, ''),
            ...encodePermissions(organization.features, organization.permissions),
          },
          org_metadata: organization.metadata,
        }
      : {}),
  };
}

describe('the record and the session agree (property, Clerk’s SDK on the session side)', () => {
  const keys = generateTestKeys();
  const clerk = createClerkClient({ publishableKey: keys.publishableKey, secretKey: keys.secretKey });

  async function sessionEntitlements(claims: Record<string, unknown>) {
    const token = mintToken(keys, { userId: 'user_generated', claims });
    const state = await clerk.authenticateRequest(
      new Request(`${TEST_SITE_ORIGIN}/members/x/`, { headers: { cookie: sessionCookie(token) } }),
      { jwtKey: keys.jwtKey, authorizedParties: [TEST_SITE_ORIGIN] },
    );
    const auth = state.toAuth();
    expect(auth?.userId, `token not accepted: ${state.reason ?? ''}`).toBe('user_generated');
    return viewerFromAuth(auth as Parameters<typeof viewerFromAuth>[0]);
  }

  it('for every generated account, in every organization context and overall', async () => {
    await fc.assert(
      fc.asyncProperty(accountArb, async (generated) => {
        const record: Account = {
          publicMetadata: generated.publicMetadata,
          plans: generated.plans,
          features: generated.features,
          organizations: generated.organizations.map(({ role: _role, ...o }) => o),
        };
        const fromRecord = accountEntitlements(record);
        const contexts = [null, ...generated.organizations];
        const sessions = [];
        for (const organization of contexts) {
          const viewer = await sessionEntitlements(claimsFor(generated, organization));
          if (viewer.kind !== 'member') throw new Error('signed out');
          // Context by context: the record, acting in that organization, decides as the session does.
          const recordOrg = organization && record.organizations.find((o) => o.id === organization.id)!;
          const inContext = entitlementsOf({
            userMetadata: record.publicMetadata,
            organization: recordOrg && { id: recordOrg.id, metadata: recordOrg.metadata },
            has: accountHas(record, recordOrg),
          });
          expect({ tier: inContext.tier, editor: inContext.editor, sources: inContext.sources }).toEqual({
            tier: viewer.tier,
            editor: viewer.editor,
            sources: viewer.sources,
          });
          sessions.push(viewer);
        }
        const best = sessions.reduce((a, b) => (accessRank(b.tier) > accessRank(a.tier) ? b : a));
        expect(fromRecord.tier).toBe(best.tier);
        expect(fromRecord.editor).toBe(sessions.some((s) => s.editor));
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 150) },
    );
  }, 60_000);
});
