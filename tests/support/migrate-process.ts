/**
 * One process that opens the members' store from its environment and migrates it, printing what it
 * applied as JSON (tests run several at once: `node --import tsx tests/support/migrate-process.ts`).
 */
import { readStoreConfig } from '../../src/members/config';
import { openStore } from '../../src/members/store';

const store = openStore(readStoreConfig(process.env));
try {
  process.stdout.write(JSON.stringify(await store.migrate()));
} finally {
  await store.close();
}
