/** Shared pieces of the integration suites: canary sentences and a built server with Clerk keys. */
import { afterAll, beforeAll } from 'vitest';
import { generateTestKeys, serverEnv, type TestKeys } from './clerk-session';
import { startServer, type RunningServer } from './server';

// Lives with the source readers (no Vitest import there), so Playwright specs can use it too.
export { loadCanaries } from './articles';

export interface KeyedServer {
  readonly keys: TestKeys;
  readonly server: RunningServer;
}

/**
 * Registers hooks that start the built server with Clerk keys generated for this file (networkless
 * verification) and stop it afterwards. Read `keys` and `server` inside tests.
 */
export function useKeyedServer(extraEnv: Record<string, string> = {}): KeyedServer {
  const state: { keys?: TestKeys; server?: RunningServer } = {};
  beforeAll(async () => {
    state.keys = generateTestKeys();
    state.server = await startServer({ ...serverEnv(state.keys, 'http://127.0.0.1'), ...extraEnv });
  });
  afterAll(() => state.server?.stop());
  return {
    get keys() {
      return state.keys!;
    },
    get server() {
      return state.server!;
    },
  };
}
