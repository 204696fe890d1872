import { describe, expect, it } from 'vitest';
import { describeSources } from '../../src/gate/sources';
import { ANONYMOUS, viewerFromAuth } from '../../src/gate/viewer';
import { organizationToActivate } from '../../src/clerk/organization-choice';

describe("organizationToActivate (the reader's only organization, once per session)", () => {
  it('activates the only organization of a new session', () => {
    expect(organizationToActivate({ organizationIds: ['org_a'], activeOrganizationId: null, seenSession: false })).toBe(
      'org_a',
    );
  });
  it('leaves a session alone once looked at, so a switch to the personal account sticks', () => {
    expect(
      organizationToActivate({ organizationIds: ['org_a'], activeOrganizationId: null, seenSession: true }),
    ).toBeNull();
  });
  it('never overrides an active organization, and lets readers of several choose', () => {
    expect(
      organizationToActivate({ organizationIds: ['org_a'], activeOrganizationId: 'org_a', seenSession: false }),
    ).toBeNull();
    expect(
      organizationToActivate({ organizationIds: ['org_a', 'org_b'], activeOrganizationId: null, seenSession: false }),
    ).toBeNull();
    expect(organizationToActivate({ organizationIds: [], activeOrganizationId: null, seenSession: false })).toBeNull();
  });
});

describe('describeSources (the account page\'s "where it comes from")', () => {
  const member = (claims: Record<string, unknown>, plans: string[] = [], org = false) =>
    viewerFromAuth({
      userId: 'user_1',
      sessionId: 'sess_1',
      sessionClaims: claims,
      ...(org ? { orgId: 'org_1', orgSlug: 'acme', orgRole: 'org:member' } : {}),
      has: ({ plan }) => plan !== undefined && plans.includes(plan),
    });

  it('names own metadata, plans and the organization', () => {
    expect(describeSources(member({ metadata: { tier: 'premium' } })).map((s) => s.kind)).toEqual(['user-metadata']);
    expect(describeSources(member({}, ['premium']))[0]!.text).toBe('Your "premium" plan');
    expect(describeSources(member({}, ['o:team'], true))[0]!.text).toBe('The "team" plan of your organization acme');
    expect(describeSources(member({ org_metadata: { tier: 'premium' } }, [], true))[0]!.text).toBe(
      'Your organization acme',
    );
  });
  it('lists the free account last, and nothing for visitors', () => {
    expect(describeSources(member({ metadata: { tier: 'members' } })).map((s) => s.kind)).toEqual([
      'user-metadata',
      'signed-in',
    ]);
    expect(describeSources(ANONYMOUS)).toEqual([]);
  });
});
