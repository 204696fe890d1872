import { describe, expect, it } from 'vitest';
import { decideAccess, isEditor } from '../../src/gate/decision';
import { ANONYMOUS, tierIsFromOrganization, viewerFromAuth, type AuthLike } from '../../src/gate/viewer';
import { ACCESS_LEVELS, type AccessLevel } from '../../src/gate/membership';

/** Clerk's real `has()` semantics for plans/features ("u:"/"o:" scopes), in miniature. */
function hasFrom(pla = '', fea = '') {
  const split = (claim: string) =>
    claim
      .split(',')
      .filter(Boolean)
      .map((part) => part.split(':') as [string, string]);
  const matches = (claim: string, wanted: string) => {
    const [scope, id] = wanted.includes(':') ? wanted.split(':') : [undefined, wanted];
    return split(claim).some(([s, v]) => v === id && (!scope || s === scope));
  };
  return ({ plan, feature }: { plan?: string; feature?: string }) =>
    (plan === undefined || matches(pla, plan)) && (feature === undefined || matches(fea, feature));
}

const signedIn = (overrides: Partial<AuthLike> = {}): AuthLike => ({
  userId: 'user_1',
  sessionId: 'sess_1',
  sessionClaims: {},
  orgId: null,
  has: hasFrom(),
  ...overrides,
});

type Case = [name: string, auth: AuthLike | null | undefined, tier: AccessLevel | null];

const cases: Case[] = [
  ['no auth object', undefined, null],
  ['null auth object', null, null],
  ['signed out (userId null)', { userId: null, sessionClaims: null, has: () => false }, null],
  ['signed out but claims a tier', { userId: null, sessionClaims: { metadata: { tier: 'premium' } } }, null],
  ['empty userId', { userId: '', sessionClaims: { metadata: { tier: 'premium' } } }, null],
  ['signed in, no claims', signedIn({ sessionClaims: undefined }), 'members'],
  ['user id but no session id', signedIn({ sessionId: null, sessionClaims: { metadata: { tier: 'premium' } } }), null],
  ['user id and an empty session id', signedIn({ sessionId: '' }), null],
  ['signed in, empty metadata', signedIn({ sessionClaims: { metadata: {} } }), 'members'],
  ['metadata tier members', signedIn({ sessionClaims: { metadata: { tier: 'members' } } }), 'members'],
  ['metadata tier premium', signedIn({ sessionClaims: { metadata: { tier: 'premium' } } }), 'premium'],
  ['metadata tier public (never lowers)', signedIn({ sessionClaims: { metadata: { tier: 'public' } } }), 'members'],
  ['metadata tier unknown', signedIn({ sessionClaims: { metadata: { tier: 'platinum' } } }), 'members'],
  ['metadata tier wrong case', signedIn({ sessionClaims: { metadata: { tier: 'Premium' } } }), 'members'],
  ['metadata tier as array', signedIn({ sessionClaims: { metadata: { tier: ['premium'] } } }), 'members'],
  ['metadata as string', signedIn({ sessionClaims: { metadata: '{"tier":"premium"}' } }), 'members'],
  ['metadata null', signedIn({ sessionClaims: { metadata: null } }), 'members'],
  ['tier at top level, not in metadata', signedIn({ sessionClaims: { tier: 'premium' } }), 'members'],
  [
    'tier only in unsafe_metadata',
    signedIn({ sessionClaims: { unsafe_metadata: { tier: 'premium' }, unsafeMetadata: { tier: 'premium' } } }),
    'members',
  ],
  ['billing plan premium (user)', signedIn({ has: hasFrom('u:premium') }), 'premium'],
  ['billing plan free_user only', signedIn({ has: hasFrom('u:free_user') }), 'members'],
  ['billing feature premium_articles', signedIn({ has: hasFrom('', 'u:premium_articles') }), 'premium'],
  [
    'billing has() throws',
    signedIn({
      has: () => {
        throw new Error('malformed pla');
      },
    }),
    'members',
  ],
  ['billing has() missing', signedIn({ has: undefined }), 'members'],
  [
    'team plan of the active org',
    signedIn({ orgId: 'org_1', orgRole: 'org:member', has: hasFrom('o:team') }),
    'premium',
  ],
  ['team plan as a user plan does not count', signedIn({ has: hasFrom('u:team') }), 'members'],
  [
    'org metadata tier premium (active org)',
    signedIn({ orgId: 'org_1', orgRole: 'org:member', sessionClaims: { org_metadata: { tier: 'premium' } } }),
    'premium',
  ],
  [
    'org metadata without an active org',
    signedIn({ orgId: null, sessionClaims: { org_metadata: { tier: 'premium' } } }),
    'members',
  ],
  [
    'org metadata unknown tier',
    signedIn({ orgId: 'org_1', sessionClaims: { org_metadata: { tier: 'gold' } } }),
    'members',
  ],
  [
    'org grants members, user metadata premium: the higher wins',
    signedIn({ orgId: 'org_1', sessionClaims: { metadata: { tier: 'premium' }, org_metadata: { tier: 'members' } } }),
    'premium',
  ],
];

describe('viewerFromAuth', () => {
  it.each(cases)('%s → %s', (_name, auth, tier) => {
    const viewer = viewerFromAuth(auth);
    expect(viewer.tier).toBe(tier);
    expect(viewer.kind).toBe(tier === null ? 'anonymous' : 'member');
  });

  it('records where the tier came from', () => {
    const viewer = viewerFromAuth(
      signedIn({
        orgId: 'org_9',
        orgSlug: 'acme',
        orgRole: 'org:admin',
        sessionClaims: { metadata: { tier: 'premium' }, org_metadata: { tier: 'premium' } },
        has: hasFrom('u:premium'),
      }),
    );
    expect(viewer).toMatchObject({
      kind: 'member',
      userId: 'user_1',
      tier: 'premium',
      organization: { id: 'org_9', slug: 'acme', role: 'org:admin' },
    });
    expect(viewer.sources).toEqual([
      { kind: 'user-metadata' },
      { kind: 'organization-metadata', orgId: 'org_9' },
      { kind: 'billing-plan', plan: 'premium' },
    ]);
  });

  it('reads roles from public metadata only, ignoring junk', () => {
    expect(viewerFromAuth(signedIn({ sessionClaims: { metadata: { roles: ['editor', 3, '', null] } } })).roles).toEqual(
      ['editor'],
    );
    expect(viewerFromAuth(signedIn({ sessionClaims: { metadata: { roles: 'editor' } } })).roles).toEqual([]);
    expect(viewerFromAuth(signedIn({ sessionClaims: { unsafe_metadata: { roles: ['editor'] } } })).roles).toEqual([]);
  });
});

describe('decideAccess', () => {
  const viewers = {
    anonymous: ANONYMOUS,
    members: viewerFromAuth(signedIn()),
    premium: viewerFromAuth(signedIn({ sessionClaims: { metadata: { tier: 'premium' } } })),
  };
  const expected: Record<keyof typeof viewers, Record<AccessLevel, 'allowed' | 'sign-in' | 'upgrade'>> = {
    anonymous: { public: 'allowed', members: 'sign-in', premium: 'sign-in' },
    members: { public: 'allowed', members: 'allowed', premium: 'upgrade' },
    premium: { public: 'allowed', members: 'allowed', premium: 'allowed' },
  };

  for (const [who, viewer] of Object.entries(viewers) as [keyof typeof viewers, (typeof viewers)['members']][]) {
    for (const access of ACCESS_LEVELS) {
      it(`${who} reader, ${access} article → ${expected[who][access]}`, () => {
        const decision = decideAccess(viewer, { access });
        expect(decision.allowed ? 'allowed' : decision.reason).toBe(expected[who][access]);
        expect(decision.required).toBe(access);
        if (!decision.allowed) {
          expect(decision.held).toBe(viewer.tier);
          expect(decision.message.length).toBeGreaterThan(10);
        }
      });
    }
  }

  it('tells a member what they are missing', () => {
    const decision = decideAccess(viewers.members, { access: 'premium' });
    expect(decision).toMatchObject({ allowed: false, reason: 'upgrade', held: 'members' });
    if (!decision.allowed) expect(decision.message).toContain('Premium');
  });
});

describe('isEditor', () => {
  it('is true only for signed-in readers with the editor role in public metadata', () => {
    expect(isEditor(ANONYMOUS)).toBe(false);
    expect(isEditor(viewerFromAuth(signedIn()))).toBe(false);
    expect(isEditor(viewerFromAuth(signedIn({ sessionClaims: { metadata: { roles: ['editor'] } } })))).toBe(true);
    expect(isEditor(viewerFromAuth(signedIn({ sessionClaims: { metadata: { roles: ['Editor'] } } })))).toBe(false);
    expect(isEditor(viewerFromAuth(signedIn({ sessionClaims: { unsafe_metadata: { roles: ['editor'] } } })))).toBe(
      false,
    );
  });

  it('is true with the editor permission in the active organization, and only there', () => {
    const withPermission = (orgId: string | null) =>
      signedIn({
        orgId,
        orgRole: 'org:editor',
        has: ({ permission }) => permission === 'org:articles:edit',
      });
    expect(isEditor(viewerFromAuth(withPermission('org_1')))).toBe(true);
    expect(isEditor(viewerFromAuth(withPermission(null)))).toBe(false);
    expect(
      isEditor(
        viewerFromAuth(
          signedIn({
            orgId: 'org_1',
            has: () => {
              throw new Error('bad');
            },
          }),
        ),
      ),
    ).toBe(false);
  });
});

describe('tierIsFromOrganization (the account page\'s "through your organization")', () => {
  it('only when the organization alone grants the level', () => {
    const org = { orgId: 'org_1', orgRole: 'org:member' };
    expect(
      tierIsFromOrganization(
        viewerFromAuth(signedIn({ ...org, sessionClaims: { org_metadata: { tier: 'premium' } } })),
      ),
    ).toBe(true);
    // A member of an organization whose own metadata grants the level: not through the organization.
    expect(
      tierIsFromOrganization(viewerFromAuth(signedIn({ ...org, sessionClaims: { metadata: { tier: 'premium' } } }))),
    ).toBe(false);
    expect(
      tierIsFromOrganization(
        viewerFromAuth(
          signedIn({ ...org, sessionClaims: { metadata: { tier: 'premium' }, org_metadata: { tier: 'premium' } } }),
        ),
      ),
    ).toBe(false);
    // Signing in alone grants "members": an organization granting the same adds nothing to say.
    expect(
      tierIsFromOrganization(
        viewerFromAuth(signedIn({ ...org, sessionClaims: { org_metadata: { tier: 'members' } } })),
      ),
    ).toBe(false);
    expect(tierIsFromOrganization(ANONYMOUS)).toBe(false);
  });
});
