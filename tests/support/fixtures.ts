/** Shared pieces of the integration suites: canary sentences and a built server with Clerk keys. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { generateTestKeys, serverEnv, type TestKeys } from './clerk-session';
import { ROOT } from './paths';
import { startServer, type RunningServer } from './server';

/** slug → the distinctive sentence of that article's member-only part (tests/fixtures). */
export function loadCanaries(): Record<string, string> {
  return JSON.parse(readFileSync(`${ROOT}tests/fixtures/member-only-sentences.json`, 'utf8')) as Record<string, string>;
}

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
