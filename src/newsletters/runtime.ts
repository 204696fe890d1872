/**
 * Newsletters in the Gatepost server program (src/server/main.ts): records when each declared
 * newsletter was first enabled, and runs the sending loop in each serving process (the sender's lease
 * in the store lets one of them send at a time). Without GATEPOST_SMTP_URL or an unsubscribe key it
 * says once why nothing is sent, and the desk says the same.
 */
import { enableNewsletters } from '../members/queries/newsletters';
import type { MembersStore } from '../members/store';
import { NEWSLETTERS } from '../site/newsletters';
import { startSender, type Sender } from './sender';
import { unsubscribeKeyFromEnv, type UnsubscribeKey } from './token';
import { createMailer, readSmtpConfig } from './transport';

type Env = Record<string, string | undefined>;
type Log = (message: string, level?: 'info' | 'error') => void;

export interface NewslettersRuntime {
  stop: () => Promise<void>;
}

/** Starts sending newsletters in this process, or says why not. Never throws. */
export function startNewsletters(env: Env, store: MembersStore, log: Log): NewslettersRuntime {
  // First enablement time, kept forever: older articles are never sent automatically.
  void enableNewsletters(
    store,
    NEWSLETTERS.map((n) => n.slug),
    Date.now(),
  ).catch((error: unknown) =>
    log(`newsletters: could not record them in the store yet: ${(error as Error).message}`, 'error'),
  );
  const smtp = readSmtpConfig(env);
  const key = unsubscribeKeyFromEnv(env);
  if (!smtp.enabled) {
    log(`newsletters: ${smtp.reason}`);
    return { stop: async () => undefined };
  }
  if (!key.enabled) {
    log(`newsletters: ${key.reason}`);
    return { stop: async () => undefined };
  }
  const mailer = createMailer(smtp.url);
  log(`newsletters: sending through ${smtp.description}`);
  const sender: Sender = startSender({ store, mailer, key: key.key, log });
  return {
    stop: async () => {
      await sender.stop();
      mailer.close();
    },
  };
}

/** The unsubscribe links' key for the server's own route, or null (links then answer 404). */
export function newsletterKey(env: Env): UnsubscribeKey | null {
  const config = unsubscribeKeyFromEnv(env);
  return config.enabled ? config.key : null;
}
