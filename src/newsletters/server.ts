/**
 * Newsletters as Astro's pages see them: the settings read once from the environment (through
 * astro:env), reported once per process, and a mailer for the editor's test sends. The sending loop
 * itself runs in the Gatepost server program (src/newsletters/runtime.ts).
 */
import { CLERK_SECRET_KEY, GATEPOST_SMTP_URL, getSecret } from 'astro:env/server';
import { authorizedParties } from '../clerk/server-config';
import { unsubscribeKeyFromEnv } from './token';
import { createMailer, readSmtpConfig, type Mailer } from './transport';

export const smtpConfig = readSmtpConfig({ GATEPOST_SMTP_URL });
export const unsubscribeKey = unsubscribeKeyFromEnv({
  GATEPOST_NEWSLETTER_KEY: getSecret('GATEPOST_NEWSLETTER_KEY'),
  CLERK_SECRET_KEY,
});

/** Why newsletters cannot be sent from this server, or null when they can. */
export const sendingOff: string | null = !smtpConfig.enabled
  ? smtpConfig.reason
  : !unsubscribeKey.enabled
    ? unsubscribeKey.reason
    : null;

/** The demo's caught-mail page (set by tools/demo.ts, loopback only); never set in production. */
export const demoMailUrl: string | null = getSecret('GATEPOST_DEMO_MAIL_URL')?.trim() || null;

/** Where links in emails point. */
export const siteOrigin = authorizedParties.siteOrigin;

let mailer: Mailer | undefined;
/** The mailer for test sends, created on first use (null when email is off). */
export function testMailer(): Mailer | null {
  if (!smtpConfig.enabled) return null;
  mailer ??= createMailer(smtpConfig.url);
  return mailer;
}
