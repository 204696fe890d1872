/**
 * The organization's name on the account page (src/members/queries/organizations.ts), from the members'
 * store on SQLite and (with GATEPOST_TEST_DATABASE_URL) PostgreSQL; "your organization" when it cannot say.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { organizationName } from '../../src/members/queries/organizations';
import { openStore, type MembersStore } from '../../src/members/store';
import { createTestDatabase, STORE_KINDS, type TestDatabase } from '../support/databases';

describe.each(STORE_KINDS)("an organization's name on %s", (kind) => {
  let database: TestDatabase;
  let store: MembersStore;

  beforeEach(async () => {
    database = await createTestDatabase(kind);
    store = openStore(database.config);
    const db = await store.database();
    const now = Date.now();
    await db
      .insertInto('organizations')
      .values([
        {
          id: 'org_named',
          name: 'Acme Newsroom',
          slug: 'acme',
          deleted_at: null,
          last_event_at: now,
          created_at: now,
          updated_at: now,
        },
        {
          id: 'org_gone',
          name: 'Gone Ltd',
          slug: 'gone',
          deleted_at: now,
          last_event_at: now,
          created_at: now,
          updated_at: now,
        },
        {
          id: 'org_blank',
          name: '  ',
          slug: 'blank',
          deleted_at: null,
          last_event_at: now,
          created_at: now,
          updated_at: now,
        },
      ])
      .execute();
  });
  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  it('is the name the mirror holds, never the slug', async () => {
    expect(await organizationName(store, 'org_named')).toBe('Acme Newsroom');
  });
  it('is null for an organization deleted, unnamed or not seen yet', async () => {
    expect(await organizationName(store, 'org_gone')).toBeNull();
    expect(await organizationName(store, 'org_blank')).toBeNull();
    expect(await organizationName(store, 'org_unknown')).toBeNull();
  });
});

describe("an organization's name without a store", () => {
  it('is null when there is no store or it cannot be reached (the page still renders)', async () => {
    expect(await organizationName(undefined, 'org_named')).toBeNull();
    const store = openStore({ kind: 'postgres', url: 'postgres://gp:gp@127.0.0.1:9/none', poolSize: 1 });
    try {
      expect(await organizationName(store, 'org_named')).toBeNull();
    } finally {
      await store.close();
    }
  });
});
