/**
 * Every migration, in order, imported statically so that bundles (the server program, Astro's SSR
 * bundle, the CLI) carry them; nothing scans a folder at run time. A new migration is a new file named
 * `NNNN_what.ts` and one line here. Forward-only: no `down`, and a released file is never changed.
 */
import type { Migration } from 'kysely/migration';
import * as m0001 from './0001_members';
import * as m0002 from './0002_newsletters';

export const MIGRATIONS: Record<string, Migration> = {
  '0001_members': m0001,
  '0002_newsletters': m0002,
};
