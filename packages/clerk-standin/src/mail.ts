/**
 * The demo's and tests' mail catcher: an SMTP server on the loopback address (smtp-server, from the
 * nodemailer project) that accepts every message, keeps the last ones parsed (mailparser), and lists
 * them on the stand-in's API port (`/__mail/`, ./mail-pages.ts). Like the rest of the stand-in it is
 * never part of the production server, and refuses connections from anywhere but this machine.
 *
 * Tests can make it refuse recipients (`refuse(address, code)`: 550 → a permanent bounce, 451 → try
 * later; at RCPT TO or after DATA, for good or the next few times) and wait for messages (`waitFor`).
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { LOOPBACK } from './server.ts';

export interface CaughtMail {
  id: string;
  receivedAt: number;
  /** Envelope sender and recipients, as the SMTP client gave them. */
  envelopeFrom: string;
  envelopeTo: string[];
  subject: string;
  from: string;
  to: string;
  messageId: string;
  date: string | null;
  /** Header names in lowercase, values as sent (folded lines joined). */
  headers: Record<string, string>;
  html: string;
  text: string;
  size: number;
}

export interface MailCatcherOptions {
  port?: number;
  /** Messages kept (oldest dropped first); the count goes on. */
  keep?: number;
  /** Parse each message (headers, parts); off counts and drops them (benchmarks). */
  parse?: boolean;
  log?: (line: string) => void;
}

export interface RefuseOptions {
  /** Answer RCPT TO for the address (default), or accept it and refuse the message after its DATA. */
  at?: 'rcpt' | 'data';
  /** Refuse this many times, then accept (default: until `refuse(address, null)`). */
  times?: number;
}

export interface MailCatcher {
  port: number;
  /** `smtp://127.0.0.1:<port>`: GATEPOST_SMTP_URL for the demo and tests. */
  url: string;
  /** Messages received since start (or the last clear), kept or not. */
  count: () => number;
  messages: () => CaughtMail[];
  clear: () => void;
  /** Refuse this address with this SMTP code (5xx permanent, 4xx temporary); null allows again. */
  refuse: (address: string, code: number | null, options?: RefuseOptions) => void;
  /** Refusals answered so far per address (lowercase), for tests that check a retry happened. */
  refusals: () => Map<string, number>;
  /**
   * Withhold the answer to any message for this address after its DATA, until `release()`: the sender
   * waits mid-batch (a test kills it there). Withheld messages are not counted as received.
   */
  hold: (address: string) => void;
  /** How many messages are withheld now. */
  held: () => number;
  /**
   * Stop holding; the withheld messages are answered 451 (try again later) and never counted as received,
   * since a sender killed while it waited never learnt of them either.
   */
  release: () => void;
  /** Resolves once `count()` reaches `n` (rejects after `timeoutMs`). */
  waitFor: (n: number, timeoutMs?: number) => Promise<void>;
  stop: () => Promise<void>;
}

const isLoopback = (address: string | undefined) =>
  address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';

export async function startMailCatcher(options: MailCatcherOptions = {}): Promise<MailCatcher> {
  const keep = options.keep ?? 500;
  const parse = options.parse ?? true;
  const kept: CaughtMail[] = [];
  const refused = new Map<string, { code: number; at: 'rcpt' | 'data'; left: number }>();
  const refusals = new Map<string, number>();
  /** The SMTP error for `address` at this stage, counting it, or null to accept. */
  const refusal = (address: string, at: 'rcpt' | 'data') => {
    const key = address.toLowerCase();
    const rule = refused.get(key);
    if (!rule || rule.at !== at || rule.left <= 0) return null;
    rule.left -= 1;
    refusals.set(key, (refusals.get(key) ?? 0) + 1);
    const error = new Error(
      rule.code >= 500 ? (at === 'rcpt' ? 'No such user here' : 'Message refused') : 'Mailbox busy, try again later',
    ) as Error & { responseCode: number };
    error.responseCode = rule.code;
    return error;
  };
  const holding = new Set<string>();
  const withheld: (() => void)[] = [];
  let received = 0;
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const check of waiters) check();
  };

  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    banner: 'Gatepost demo mail catcher (loopback only, nothing is delivered)',
    size: 10 * 1024 * 1024,
    logger: false,
    onConnect(session, callback) {
      if (!isLoopback(session.remoteAddress)) return callback(new Error('Refused: loopback only'));
      callback();
    },
    onRcptTo(address, _session, callback) {
      callback(refusal(address.address, 'rcpt') ?? undefined);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        if (parse) chunks.push(chunk);
      });
      stream.on('end', () => {
        // The session's envelope is reset for the connection's next message: read it now.
        const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const envelopeTo = session.envelope.rcptTo.map((r) => r.address);
        for (const to of envelopeTo) {
          const error = refusal(to, 'data');
          if (error) return callback(error);
        }
        if (envelopeTo.some((to) => holding.has(to.toLowerCase()))) {
          withheld.push(() => {
            const error = new Error('Mailbox busy, try again later') as Error & { responseCode: number };
            error.responseCode = 451;
            callback(error);
          });
          return;
        }
        received += 1;
        callback();
        if (!parse) return notify();
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((mail) => {
            const headers: Record<string, string> = {};
            for (const line of mail.headerLines) headers[line.key] = line.line.slice(line.line.indexOf(':') + 1).trim();
            kept.push({
              id: randomUUID(),
              receivedAt: Date.now(),
              envelopeFrom,
              envelopeTo,
              subject: mail.subject ?? '',
              from: mail.from?.text ?? '',
              to: Array.isArray(mail.to) ? mail.to.map((t) => t.text).join(', ') : (mail.to?.text ?? ''),
              messageId: mail.messageId ?? '',
              date: mail.date ? mail.date.toISOString() : null,
              headers,
              html: typeof mail.html === 'string' ? mail.html : '',
              text: mail.text ?? '',
              size: raw.length,
            });
            if (kept.length > keep) kept.shift();
          })
          .catch((error: unknown) =>
            options.log?.(`mail catcher: could not parse a message: ${(error as Error).message}`),
          )
          .finally(notify);
      });
    },
  });
  // A client that disappears mid-session (a test kills the site with SIGKILL) is not the catcher's error.
  server.on('error', (error) => options.log?.(`mail catcher: ${error.message}`));
  // Nagle's algorithm against delayed ACKs would make every SMTP reply wait ~40 ms.
  server.server.on('connection', (socket) => socket.setNoDelay(true));

  const port = await new Promise<number>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK, () => resolve((server.server.address() as AddressInfo).port));
  });

  return {
    port,
    url: `smtp://${LOOPBACK}:${port}`,
    count: () => received,
    messages: () => [...kept],
    clear: () => {
      kept.length = 0;
      received = 0;
    },
    refuse: (address, code, refuseOptions = {}) => {
      if (code === null) refused.delete(address.toLowerCase());
      else
        refused.set(address.toLowerCase(), {
          code,
          at: refuseOptions.at ?? 'rcpt',
          left: refuseOptions.times ?? Infinity,
        });
    },
    refusals: () => new Map(refusals),
    hold: (address) => void holding.add(address.toLowerCase()),
    held: () => withheld.length,
    release: () => {
      holding.clear();
      for (const answer of withheld.splice(0)) answer();
    },
    waitFor: (n, timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        // Parsed messages are counted once kept; unparsed ones when received.
        const reached = () => (parse ? kept.length + Math.max(0, received - keep) : received) >= n;
        if (reached()) return resolve();
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`mail catcher: ${received} of ${n} messages after ${timeoutMs} ms`));
        }, timeoutMs);
        const check = () => {
          if (!reached()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
      }),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
