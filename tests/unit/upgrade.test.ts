import { describe, expect, it } from 'vitest';
import { DEFAULT_PREMIUM_NOTE, premiumOffer } from '../../src/site/pricing';
import {
  hasRefreshMarker,
  returnPath,
  upgradeHref,
  withoutRefreshMarker,
  withRefreshMarker,
} from '../../src/site/upgrade';
import { redirectCases } from '../support/redirect-cases';

const origin = 'https://gatepost.example';
const pricing = (ret: string) => new URL(`/pricing/?return=${encodeURIComponent(ret)}`, origin);

describe('the upgrade return path', () => {
  it('carries the article to the pricing page and back', () => {
    expect(upgradeHref('/members/deep-dive/')).toBe('/pricing/?return=%2Fmembers%2Fdeep-dive%2F');
    expect(returnPath(new URL(upgradeHref('/members/deep-dive/'), origin))).toBe('/members/deep-dive/');
    expect(returnPath(pricing(`${origin}/members/x/?a=1`))).toBe('/members/x/?a=1');
  });

  it.each([
    'https://evil.example/members/x/',
    '//evil.example/members/x/',
    '/\\evil.example/',
    'javascript:alert(1)',
    'members/x/',
    '/sign-in/',
    '/pricing/',
    '/pricing/?return=/pricing/',
  ])('ignores %s', (raw) => {
    expect(returnPath(pricing(raw))).toBeNull();
  });

  it.each(redirectCases(origin))('gives no way back for %s (normalised, it would start with //)', (raw) => {
    expect(returnPath(pricing(raw))).toBeNull();
  });

  it('has no return without the parameter', () => {
    expect(returnPath(new URL('/pricing/', origin))).toBeNull();
  });
});

describe('the refresh marker', () => {
  it('is added and removed keeping the rest of the URL', () => {
    const marked = withRefreshMarker('/members/x/?ref=mail#part-2');
    expect(marked).toBe('/members/x/?ref=mail&session=refresh#part-2');
    const url = new URL(marked, origin);
    expect(hasRefreshMarker(url)).toBe(true);
    expect(withoutRefreshMarker(url)).toBe('/members/x/?ref=mail#part-2');
    // A request path a browser would read as another host goes nowhere off-site.
    expect(withoutRefreshMarker(new URL(`${origin}//evil.example/x/?session=refresh`))).toBe('/');
  });

  it('only the exact marker counts', () => {
    expect(hasRefreshMarker(new URL('/members/x/?session=1', origin))).toBe(false);
    expect(hasRefreshMarker(new URL('/members/x/', origin))).toBe(false);
  });
});

describe('premiumOffer', () => {
  it('says only the default sentence when nothing is configured', () => {
    expect(premiumOffer({})).toEqual({ checkoutUrl: null, price: null, note: DEFAULT_PREMIUM_NOTE, problems: [] });
  });

  it('shows a configured checkout URL and price, and no default sentence then', () => {
    expect(
      premiumOffer({ GATEPOST_PREMIUM_URL: 'https://buy.example/gatepost', GATEPOST_PREMIUM_PRICE: ' $5 / month ' }),
    ).toEqual({ checkoutUrl: 'https://buy.example/gatepost', price: '$5 / month', note: null, problems: [] });
    expect(premiumOffer({ GATEPOST_PREMIUM_URL: '/subscribe/' }).checkoutUrl).toBe('/subscribe/');
    expect(premiumOffer({ GATEPOST_PREMIUM_NOTE: 'Ask the editors.' }).note).toBe('Ask the editors.');
  });

  it.each(['http://buy.example/', 'javascript:alert(1)', 'mailto:members@gatepost.example', '//evil.example/', 'nope'])(
    'refuses the checkout URL %s with one clear problem',
    (raw) => {
      const offer = premiumOffer({ GATEPOST_PREMIUM_URL: raw });
      expect(offer.checkoutUrl).toBeNull();
      expect(offer.note).toBe(DEFAULT_PREMIUM_NOTE);
      expect(offer.problems).toEqual([expect.stringContaining('GATEPOST_PREMIUM_URL')]);
    },
  );

  it('accepts http only on loopback (local testing)', () => {
    expect(premiumOffer({ GATEPOST_PREMIUM_URL: 'http://127.0.0.1:9/buy' }).checkoutUrl).toBe('http://127.0.0.1:9/buy');
  });

  it('refuses oversized text', () => {
    const offer = premiumOffer({ GATEPOST_PREMIUM_PRICE: 'x'.repeat(201) });
    expect(offer.price).toBeNull();
    expect(offer.problems).toHaveLength(1);
  });
});
