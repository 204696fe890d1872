import { describe, expect, it } from 'vitest';
import { describeSources } from '../../src/gate/sources';
import { ANONYMOUS, viewerFromAuth } from '../../src/gate/viewer';
import { checkActivation, MAX_ACTIVATION_RELOADS, organizationToActivate } from '../../src/clerk/organization-choice';

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

describe('checkActivation (a made switch is confirmed by a page the server rendered with it)', () => {
  const pending = { sessionId: 'sess_1', organizationId: 'org_a', reloads: 1 };
  const base = { pending, sessionId: 'sess_1', activeOrganizationId: 'org_a' };
  it('reloads a page rendered without the organization the browser has active, a bounded number of times', () => {
    expect(checkActivation({ ...base, renderedOrganizationId: null })).toBe('reload');
    expect(
      checkActivation({
        ...base,
        pending: { ...pending, reloads: MAX_ACTIVATION_RELOADS },
        renderedOrganizationId: null,
      }),
    ).toBe('clear');
  });
  it('is done once a page is rendered with the organization', () => {
    expect(checkActivation({ ...base, renderedOrganizationId: 'org_a' })).toBe('clear');
  });
  it('waits on static pages, which do not know what the server would see', () => {
    expect(checkActivation({ ...base, renderedOrganizationId: undefined })).toBe('keep');
  });
  it('drops it after a switch away or for another session, never reloading', () => {
    expect(checkActivation({ ...base, activeOrganizationId: null, renderedOrganizationId: null })).toBe('clear');
    expect(checkActivation({ ...base, sessionId: 'sess_2', renderedOrganizationId: null })).toBe('clear');
    expect(checkActivation({ ...base, pending: null, renderedOrganizationId: null })).toBe('none');
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

  it('names own metadata, plans and the organization in words for readers', () => {
    expect(describeSources(member({ metadata: { tier: 'premium' } })).map((s) => s.text)).toEqual([
      'Access given to you by our team',
    ]);
    expect(describeSources(member({}, ['premium']))[0]!.text).toBe('Your Premium subscription');
    expect(describeSources(member({}, ['o:team'], true), 'Acme Newsroom')[0]!.text).toBe(
      'The Team plan of Acme Newsroom',
    );
    expect(describeSources(member({ org_metadata: { tier: 'premium' } }, [], true), 'Acme Newsroom')[0]!.text).toBe(
      'Your membership of Acme Newsroom',
    );
  });
  it('never shows the organization\'s slug: without its name it says "your organization"', () => {
    const lines = [
      ...describeSources(member({}, ['o:team'], true)),
      ...describeSources(member({ org_metadata: { tier: 'premium' } }, [], true), '  '),
    ].map((s) => s.text);
    expect(lines).toEqual(['The Team plan of your organization', 'Your membership of your organization']);
    for (const line of lines) expect(line).not.toMatch(/acme|org_1|"/);
  });
  it('lists the free account last, and nothing for visitors', () => {
    expect(describeSources(member({ metadata: { tier: 'members' } })).map((s) => s.kind)).toEqual([
      'user-metadata',
      'signed-in',
    ]);
    expect(describeSources(ANONYMOUS)).toEqual([]);
  });
});
