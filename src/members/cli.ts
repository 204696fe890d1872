/**
 * The members' store on the command line, bundled by the build into dist/server/members.mjs
 * (src/server/integration.ts) so that a deployment runs it without the sources:
 *
 *   npm run db:migrate            apply pending migrations (the server also does at start)
 *   npm run db:backup -- FILE     consistent copy of the SQLite store, safe while the server runs
 *   npm run members:sync          repair the mirror from Clerk's Backend API, and say what changed
 *
 * Settings come from the environment (and .env): DATABASE_URL or GATEPOST_DATA_DIR, CLERK_SECRET_KEY and
 * CLERK_API_URL for the sync. Exit code 0 on success, 1 with one clear line otherwise.
 */
import { createClerkClient } from '@clerk/backend';
import { hostname } from 'node:os';
import { backupSqlite } from './backup';
import { readStoreConfig } from './config';
import { isStoreUnavailable, MigrationError, openStore, runMigrations } from './store';
import { claimJob, describeReport, finishJob, SYNC_JOB, syncMembers } from './sync';

const USAGE = `usage: members.mjs migrate | backup FILE | sync`;

const fail = (message: string): never => {
  console.error(`[gatepost] ${message}`);
  process.exit(1);
};

async function main(args: string[]): Promise<void> {
  const [command, ...rest] = args;
  let config;
  try {
    config = readStoreConfig(process.env);
  } catch (error) {
    return fail((error as Error).message);
  }

  if (command === 'backup') {
    if (rest.length !== 1 || !rest[0]) return fail(`give the backup file: npm run db:backup -- FILE`);
    try {
      const { file, bytes } = backupSqlite(config, rest[0]);
      console.log(`members' store copied to ${file} (${(bytes / 1024).toFixed(0)} KB)`);
    } catch (error) {
      fail(`backup failed: ${(error as Error).message}`);
    }
    return;
  }

  if (command !== 'migrate' && command !== 'sync') return fail(USAGE);
  const store = openStore(config);
  try {
    if (command === 'migrate') {
      const { applied } = await runMigrations(store.db);
      console.log(
        applied.length
          ? `${store.description}: applied ${applied.join(', ')}`
          : `${store.description}: schema current, nothing to apply`,
      );
      return;
    }

    const secretKey = process.env.CLERK_SECRET_KEY?.trim();
    if (!secretKey) return fail('the members sync reads Clerk’s Backend API: set CLERK_SECRET_KEY');
    const clerk = createClerkClient({
      secretKey,
      ...(process.env.CLERK_API_URL ? { apiUrl: process.env.CLERK_API_URL } : {}),
    });
    await store.database();
    const holder = `${hostname()}:${process.pid} (npm run members:sync)`;
    // The same claim the server's schedule takes, so the two never run at once.
    if (!(await claimJob(store, { name: SYNC_JOB, holder, intervalMs: 0, leaseMs: 60 * 60_000, now: Date.now() })))
      return fail('another members sync is running; try again when it has finished');
    try {
      const report = await syncMembers(store, clerk, { log: (line) => console.error(line) });
      console.log(describeReport(report));
      const { tierChanges, ...counts } = report;
      await finishJob(store, SYNC_JOB, holder, { ...counts, tierChanges: tierChanges.length }, Date.now());
    } catch (error) {
      await finishJob(store, SYNC_JOB, holder, { error: (error as Error).message }, Date.now()).catch(() => undefined);
      throw error;
    }
  } catch (error) {
    if (error instanceof MigrationError) return fail(error.message);
    if (isStoreUnavailable(error)) return fail(`${store.description} cannot be reached: ${(error as Error).message}`);
    return fail(`${command} failed: ${(error as Error).message}`);
  } finally {
    await store.close();
  }
}

await main(process.argv.slice(2));
