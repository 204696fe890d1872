/**
 * Delivery over SMTP with nodemailer: one pooled transport from `GATEPOST_SMTP_URL`
 * (`smtps://user:pass@smtp.provider:465`, options such as `?maxConnections=5&rateLimit=20` in the query,
 * as nodemailer reads them), and what an SMTP error means for the ledger.
 */
import { createHash } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';

/** Connections kept open to the SMTP server unless the URL says otherwise (`?maxConnections=`). */
export const DEFAULT_MAX_CONNECTIONS = 4;

export type SmtpConfig = { enabled: true; url: string; description: string } | { enabled: false; reason: string };

/** GATEPOST_SMTP_URL checked, with a description for logs that never includes the password. */
export function readSmtpConfig(env: { GATEPOST_SMTP_URL?: string | undefined }): SmtpConfig {
  const url = env.GATEPOST_SMTP_URL?.trim();
  if (!url)
    return { enabled: false, reason: 'Email is not configured (no GATEPOST_SMTP_URL): newsletters are not sent.' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return {
      enabled: false,
      reason: 'GATEPOST_SMTP_URL is not a URL (expected smtps://user:password@host:465); newsletters are not sent.',
    };
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:')
    return {
      enabled: false,
      reason: `GATEPOST_SMTP_URL must start with smtp:// or smtps://, not ${parsed.protocol}//; newsletters are not sent.`,
    };
  return {
    enabled: true,
    url,
    description: `${parsed.protocol}//${parsed.hostname}${parsed.port ? `:${parsed.port}` : ''}`,
  };
}

export type Mailer = Transporter;

/** A pooled nodemailer transport for the URL (pool on, DEFAULT_MAX_CONNECTIONS unless the URL says). */
export function createMailer(url: string): Mailer {
  const withPool = new URL(url);
  withPool.searchParams.set('pool', 'true');
  if (!withPool.searchParams.has('maxConnections'))
    withPool.searchParams.set('maxConnections', String(DEFAULT_MAX_CONNECTIONS));
  return nodemailer.createTransport(withPool.href);
}

export type SmtpFailure = 'bounce' | 'retry' | 'failed';

/**
 * What an error from sending one message means: `bounce` when the receiving server refused the address
 * permanently (5xx to RCPT TO: suppress it), `failed` for another permanent refusal of that message
 * (5xx to DATA: its content), `retry` for everything temporary (4xx, connection lost, timeouts, a
 * refused login that an operator will fix).
 */
export function classifySmtpError(error: unknown): SmtpFailure {
  const { responseCode, command } = (error ?? {}) as { responseCode?: unknown; command?: unknown };
  if (typeof responseCode !== 'number' || responseCode < 500) return 'retry';
  if (command === 'RCPT TO') return 'bounce';
  if (command === 'DATA' || command === 'MAIL FROM') return 'failed';
  return 'retry';
}

/** A Message-ID fixed for (send, member): a re-sent message carries the same one, so clients can merge them. */
export function messageIdFor(sendId: string, memberId: string, senderAddress: string): string {
  const domain = senderAddress.split('@')[1] ?? 'gatepost.invalid';
  const local = createHash('sha256').update(`${sendId}\n${memberId}`).digest('base64url').slice(0, 32);
  return `<${local}@${domain}>`;
}
