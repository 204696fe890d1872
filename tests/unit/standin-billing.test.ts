/** The stand-in's Clerk Billing: a subscription changes the plan claims of the account's next token. */
import { describe, expect, it } from 'vitest';
import { DEMO_PLANS, Instance, subscribe } from '@gatepost/clerk-standin';
import { decodePayload } from '../support/clerk-session';
import { ENTITLEMENTS } from '../../src/gate/membership';

const premium = DEMO_PLANS.find((p) => p.slug === 'premium')!;
const free = DEMO_PLANS.find((p) => p.isDefault)!;

describe('stand-in billing', () => {
  it('names its paid plan and feature as Gatepost grants premium', () => {
    expect(ENTITLEMENTS.billing.premium.plans).toContain(premium.slug);
    expect(ENTITLEMENTS.billing.premium.features).toContain(premium.features[0]!.slug);
  });

  it("puts the plan into the account's next token, and takes it out again on the free plan", () => {
    const instance = new Instance();
    const account = instance.createAccount({ email: 'billing@gatepost.test', publicMetadata: { tier: 'members' } });
    const client = instance.createClient();
    const session = instance.startSession(client, account);
    const before = decodePayload(instance.mintToken(session, 'http://127.0.0.1'));
    expect(before.pla).toBeUndefined();

    subscribe(instance, account, premium);
    expect(session.lastToken).toBeNull();
    const after = decodePayload(instance.mintToken(session, 'http://127.0.0.1'));
    expect(after.pla).toBe('u:premium');
    expect(after.fea).toBe('u:premium_articles');
    expect(after.metadata).toEqual({ tier: 'members' });

    subscribe(instance, account, free);
    const cancelled = decodePayload(instance.mintToken(session, 'http://127.0.0.1'));
    expect(cancelled.pla).toBeUndefined();
  });

  it('keeps plans it does not sell (set through other means)', () => {
    const instance = new Instance();
    const account = instance.createAccount({ email: 'keep@gatepost.test' });
    account.plans = ['legacy'];
    subscribe(instance, account, premium);
    expect(account.plans).toEqual(['legacy', 'premium']);
    subscribe(instance, account, free);
    expect(account.plans).toEqual(['legacy']);
  });
});
