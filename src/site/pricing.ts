/**
 * What the pricing page may say about Premium when Clerk Billing is off: only what the operator
 * configured. The variables are read here and nowhere else (docs/deploy.md, "Settings"; .env.example):
 *
 * - `GATEPOST_PREMIUM_URL`: where readers subscribe (an https URL, e.g. a payment link, or a path on
 *   this site). Without it there is no Subscribe button.
 * - `GATEPOST_PREMIUM_PRICE`: the price as display text ("$5 / month"). Without it no price is shown.
 * - `GATEPOST_PREMIUM_NOTE`: one sentence on how Premium is granted; without a checkout URL a plain
 *   default says Premium is not sold here.
 *
 * With Clerk Billing on (`PUBLIC_GATEPOST_BILLING=true`) Clerk's <PricingTable/> shows the plans and
 * prices configured in Clerk instead, and none of this is used.
 *
 * Plain TypeScript, no Astro imports: unit-tested directly.
 */

export interface PremiumOffer {
  /** Absolute https URL or same-site path; null: no Subscribe button. */
  checkoutUrl: string | null;
  /** Display text; null: no price shown. */
  price: string | null;
  /** How Premium is granted: the configured sentence, else the default when there is no checkout URL. */
  note: string | null;
  /** Configuration problems, one line each (logged once, on first use; never shown to readers). */
  problems: string[];
}

export const DEFAULT_PREMIUM_NOTE =
  'Premium is not sold on this site yet: the publication grants it to readers’ accounts.';

const MAX_TEXT = 200;

/** An https URL, http on loopback (local testing), or a same-site path; anything else is refused. */
function checkoutUrlFrom(raw: string): string | null {
  if (raw.startsWith('/') && !raw.startsWith('//') && !raw.includes('\\')) return raw;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol === 'https:') return url.href;
  if (url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) return url.href;
  return null;
}

function text(raw: string | undefined): string | null {
  const value = raw?.trim();
  if (!value) return null;
  return value.length > MAX_TEXT ? null : value;
}

export function premiumOffer(env: Record<string, string | undefined>): PremiumOffer {
  const problems: string[] = [];
  const rawUrl = env.GATEPOST_PREMIUM_URL?.trim();
  let checkoutUrl: string | null = null;
  if (rawUrl) {
    checkoutUrl = checkoutUrlFrom(rawUrl);
    if (!checkoutUrl) {
      problems.push('GATEPOST_PREMIUM_URL must be an https URL or a path on this site; the Subscribe button is off');
    }
  }
  const price = text(env.GATEPOST_PREMIUM_PRICE);
  if (env.GATEPOST_PREMIUM_PRICE?.trim() && !price) {
    problems.push(`GATEPOST_PREMIUM_PRICE is longer than ${MAX_TEXT} characters; no price is shown`);
  }
  const note = text(env.GATEPOST_PREMIUM_NOTE);
  if (env.GATEPOST_PREMIUM_NOTE?.trim() && !note) {
    problems.push(`GATEPOST_PREMIUM_NOTE is longer than ${MAX_TEXT} characters; the default sentence is shown`);
  }
  return { checkoutUrl, price, note: note ?? (checkoutUrl ? null : DEFAULT_PREMIUM_NOTE), problems };
}

let configured: PremiumOffer | undefined;

/** The offer for this process: worked out from `env` on the first call, its problems logged once. */
export function configuredPremiumOffer(env: () => Record<string, string | undefined>): PremiumOffer {
  if (!configured) {
    configured = premiumOffer(env());
    for (const problem of configured.problems) console.warn(`[gatepost] ${problem}`);
  }
  return configured;
}
