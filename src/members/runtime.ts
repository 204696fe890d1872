/**
 * The members' store at server start (src/server/main.ts): open it, apply the migrations, report the
 * webhook and sync settings once, and run the sync on its schedule.
 *
 * - A migration that fails stops the start with a message naming it (`MigrationError`): serving with a
 *   half-known schema would turn into 500s later.
 * - A store that cannot be reached does not: articles need no store. Store features answer 503 and the
 *   migrations are retried in the background until the store answers.
 */
import { createClerkClient } from '@clerk/backend';
import { readStoreConfig, type StoreConfig } from './config';
import { isStoreUnavailable, MigrationError, openStore, type MembersStore } from './store';
import { scheduleSync } from './sync';

type Env = Record<string, string | undefined>;
export type Log = (message: string, level?: 'info' | 'error') => void;

/** How often migrations are retried while the store cannot be reached at start. */
const RETRY_MS = 15_000;

/** GATEPOST_MEMBERS_SYNC_MINUTES: minutes between syncs, 0 = off (default 60). */
export function syncMinutes(env: Env): number {
  const value = env.GATEPOST_MEMBERS_SYNC_MINUTES?.trim();
  if (!value) return 60;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`GATEPOST_MEMBERS_SYNC_MINUTES must be a whole number of minutes (0 = off), not "${value}"`);
  return n;
}

/** Reads every members setting, so that a bad one stops the start before anything opens. */
export function readMembersSettings(env: Env): { store: StoreConfig; syncMinutes: number } {
  return { store: readStoreConfig(env), syncMinutes: syncMinutes(env) };
}

export interface MembersRuntime {
  store: MembersStore;
  /** Stops the schedule and the retries, and closes the store. */
  close: () => Promise<void>;
}

/**
 * Opens the store and migrates it. Throws `MigrationError` (and configuration errors); a store that is
 * down is logged and retried instead.
 */
export async function startMembers(
  env: Env,
  log: Log,
  { schedule = false }: { schedule?: boolean } = {},
): Promise<MembersRuntime> {
  const settings = readMembersSettings(env);
  const store = openStore(settings.store, { log: (m) => log(m, 'error') });
  const timers: (() => void)[] = [];

  const migrate = async (): Promise<boolean> => {
    try {
      const { applied } = await store.migrate();
      log(
        `members' store: ${store.description}${applied.length ? `, applied ${applied.join(', ')}` : ', schema current'}`,
      );
      return true;
    } catch (error) {
      if (error instanceof MigrationError || !isStoreUnavailable(error)) throw error;
      log(
        `members' store unreachable (${store.description}: ${(error as Error).message}); articles are served as usual, member features answer 503 until it is back`,
        'error',
      );
      return false;
    }
  };
  if (!(await migrate())) {
    const retry = setInterval(() => {
      migrate()
        .then((ok) => ok && clearInterval(retry))
        .catch((error: unknown) => {
          // A migration that fails once the store is back: stop as at start.
          log(`${(error as Error).message}`, 'error');
          process.exit(1);
        });
    }, RETRY_MS);
    retry.unref();
    timers.push(() => clearInterval(retry));
  }

  if (schedule) {
    if (!env.CLERK_WEBHOOK_SIGNING_SECRET?.trim())
      log('Clerk webhooks are off (no CLERK_WEBHOOK_SIGNING_SECRET): POST /api/webhooks/clerk answers 404');
    const secretKey = env.CLERK_SECRET_KEY?.trim();
    if (settings.syncMinutes === 0) log('members sync schedule is off (GATEPOST_MEMBERS_SYNC_MINUTES=0)');
    else if (!secretKey) log('members sync is off: it needs CLERK_SECRET_KEY to read Clerk’s Backend API');
    else {
      const clerk = createClerkClient({ secretKey, ...(env.CLERK_API_URL ? { apiUrl: env.CLERK_API_URL } : {}) });
      timers.push(scheduleSync(store, clerk, { minutes: settings.syncMinutes, log }));
    }
  }

  return {
    store,
    close: async () => {
      for (const stop of timers) stop();
      await store.close();
    },
  };
}
