/**
 * The pricing page and the upgrade round trip on the built server (Clerk Billing off, as `dist/` is
 * built): the operator's Premium settings are read at run time and only what they say is shown; the
 * return path is same-site only; the refresh marker on a gated page grants nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCanaries, publishedSourceArticles } from '../support/articles';
import { generateTestKeys, mintToken, readerClaims, serverEnv, sessionCookie } from '../support/clerk-session';
import { redirectCases } from '../support/redirect-cases';
import { startServer, type RunningServer } from '../support/server';

const canaries = loadCanaries();
const premiumArticle = publishedSourceArticles().find((a) => a.access === 'premium')!;
const ARTICLE = `/members/${premiumArticle.slug}/`;
const readers = readerClaims();
const keys = generateTestKeys();

let configured: RunningServer;
let misconfigured: RunningServer;

beforeAll(async () => {
  [configured, misconfigured] = await Promise.all([
    startServer({
      ...serverEnv(keys, 'http://127.0.0.1'),
      GATEPOST_PREMIUM_URL: 'https://buy.example/gatepost-premium',
      GATEPOST_PREMIUM_PRICE: '$6 / month',
    }),
    startServer({ ...serverEnv(keys, 'http://127.0.0.1'), GATEPOST_PREMIUM_URL: 'javascript:alert(1)' }),
  ]);
});
afterAll(async () => {
  await configured?.stop();
  await misconfigured?.stop();
});

async function get(server: RunningServer, path: string, cookie?: string) {
  const response = await fetch(`${server.url}${path}`, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
  return { response, html: await response.text() };
}

const as = (reader: keyof typeof readers) => sessionCookie(mintToken(keys, readers[reader]));

describe('the Premium card without Clerk Billing', () => {
  it('shows the configured checkout and price, and nothing invented', async () => {
    const { response, html } = await get(configured, '/pricing/');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(html).toContain('$6 / month');
    expect(html).not.toContain('data-premium-note');
    expect(html).not.toContain('mailto:');
    // Not signed in: an account first, then the checkout step, which links to the operator's checkout.
    const step = `/pricing/?checkout=premium&return=${encodeURIComponent(ARTICLE)}`;
    expect(html).not.toContain('buy.example');
    const withReturn = await get(configured, `/pricing/?return=${encodeURIComponent(ARTICLE)}`);
    expect(withReturn.html).toContain(`href="/sign-up/?redirect_url=${encodeURIComponent(step)}"`);
    const member = await get(configured, step, as('member'));
    expect(member.html).toMatch(/href="https:\/\/buy\.example\/gatepost-premium"[^>]*rel="noopener noreferrer"/);
    expect(member.html).toContain('Continue to payment');
    // The members' own paywall links straight to that step.
    const paywall = await get(configured, ARTICLE, as('member'));
    expect(paywall.html).toContain(`href="${step.replaceAll('&', '&amp;')}"`);
  });

  it('does not offer Premium to a reader who has it', async () => {
    const { html } = await get(configured, '/pricing/', as('premiumByMetadata'));
    expect(html).toContain('Your account has Premium.');
    expect(html).not.toContain('buy.example');
  });

  it('refuses a checkout URL that is not https, says so once in the log, and still serves the page', async () => {
    const { response, html } = await get(misconfigured, '/pricing/');
    expect(response.status).toBe(200);
    expect(html).not.toContain('javascript:');
    expect(html).toContain('data-premium-note');
    await get(misconfigured, '/pricing/');
    const warnings = misconfigured.output().match(/GATEPOST_PREMIUM_URL must be an https URL/g) ?? [];
    expect(warnings).toHaveLength(1);
  });
});

describe('the way back', () => {
  it('links back to a same-site article with the refresh marker', async () => {
    const { html } = await get(configured, `/pricing/?return=${encodeURIComponent(ARTICLE)}`, as('member'));
    expect(html).toContain(`href="${ARTICLE}?session=refresh"`);
  });

  it.each(['https://evil.example/x/', '//evil.example/x/', '/\\evil.example/'])('ignores return=%s', async (raw) => {
    const { html } = await get(configured, `/pricing/?return=${encodeURIComponent(raw)}`);
    expect(html).not.toContain('data-back-to-article');
    expect(html).not.toContain('evil.example');
  });

  it('offers no way back to a return value that normalises to another host (no link, no script target)', async () => {
    for (const raw of redirectCases(configured.url)) {
      for (const cookie of [undefined, as('member')]) {
        const { response, html } = await get(configured, `/pricing/?return=${encodeURIComponent(raw)}`, cookie);
        expect(response.status, raw).toBe(200);
        expect(html, raw).not.toContain('data-back-to-article');
        // Neither the link nor the island's props (what "Back to the article" would location.assign()).
        expect(html, raw).not.toContain('evil.example');
      }
    }
  });

  it('the marker grants nothing: a member still gets the preview and the paywall, plus one refresh', async () => {
    const { html } = await get(configured, `${ARTICLE}?session=refresh`, as('member'));
    expect(html).not.toContain(canaries[premiumArticle.slug]!);
    expect(html).toContain('data-paywall="upgrade"');
    expect(html).toContain('Checking your access');
    expect(html).toContain('refreshTo');
    // Without the marker: no refresh (the check still waits for the account menu's organization check).
    const plain = await get(configured, ARTICLE, as('member'));
    expect(plain.html).not.toContain('refreshTo');
  });

  it('anonymous readers and readers who may read are not sent through a refresh', async () => {
    const anonymous = await get(configured, `${ARTICLE}?session=refresh`);
    expect(anonymous.html).toContain('data-paywall="sign-in"');
    expect(anonymous.html).not.toContain('Checking your access');
    // A reader who may read loses the marker from the address bar: one redirect, then the article.
    const premium = await get(configured, `${ARTICLE}?session=refresh&utm_source=mail`, as('premiumByPlan'));
    expect(premium.response.status).toBe(303);
    expect(premium.response.headers.get('location')).toBe(`${ARTICLE}?utm_source=mail`);
    expect(premium.html).not.toContain(canaries[premiumArticle.slug]!);
    const unmarked = await get(configured, `${ARTICLE}?utm_source=mail`, as('premiumByPlan'));
    expect(unmarked.html).toContain(canaries[premiumArticle.slug]!);
  });
});
