import { describe, expect, it } from 'vitest';
import { decideAccess } from '../../src/gate/decision';
import { ANONYMOUS, viewerFromAuth } from '../../src/gate/viewer';

const now = Date.UTC(2026, 0, 1);
const later = new Date(now + 86_400_000);
const premium = { access: 'premium' as const, slug: 'paid' };
const member = viewerFromAuth({ userId: 'user_1', sessionId: 'sess_1', sessionClaims: {}, has: () => false });

describe('decideAccess with a gift grant', () => {
  it('lets anyone read the one article the gift names, and says it came from a gift', () => {
    const decision = decideAccess(ANONYMOUS, premium, { gift: { slug: 'paid', expiresAt: later }, now });
    expect(decision).toEqual({ allowed: true, required: 'premium', gift: { expiresAt: later } });
    expect(decideAccess(member, premium, { gift: { slug: 'paid', expiresAt: later }, now }).allowed).toBe(true);
  });

  it('never opens another article', () => {
    const decision = decideAccess(ANONYMOUS, premium, { gift: { slug: 'other', expiresAt: later }, now });
    expect(decision).toMatchObject({ allowed: false, reason: 'sign-in' });
    // An article the caller did not name is never gifted.
    expect(
      decideAccess(ANONYMOUS, { access: 'premium' }, { gift: { slug: 'paid', expiresAt: later }, now }).allowed,
    ).toBe(false);
  });

  it('never allows once expired', () => {
    const decision = decideAccess(member, premium, { gift: { slug: 'paid', expiresAt: new Date(now) }, now });
    expect(decision).toMatchObject({ allowed: false, reason: 'upgrade' });
  });

  it("is not marked as a gift when the reader has access anyway (the giver's own access)", () => {
    const decision = decideAccess(
      member,
      { access: 'members', slug: 'm' },
      { gift: { slug: 'm', expiresAt: later }, now },
    );
    expect(decision).toEqual({ allowed: true, required: 'members' });
    expect(decideAccess(member, premium, { now })).toMatchObject({ allowed: false });
  });
});
