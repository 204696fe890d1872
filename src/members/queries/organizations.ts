/**
 * An organization's display name for reader-facing pages (the account page), from the members' store.
 * Session tokens carry an organization's id and slug, never its name; the store mirrors the name from
 * Clerk's webhooks and sync. Answers null when the store is missing, down, or has not seen it yet: the
 * page then says "your organization", never the slug.
 */
import { isStoreUnavailable, type MembersStore } from '../store';

/** The organization's name, or null when the store cannot say (missing, unavailable, unknown, deleted). */
export async function organizationName(store: MembersStore | undefined, id: string): Promise<string | null> {
  if (!store) return null;
  try {
    const db = await store.database();
    const row = await db
      .selectFrom('organizations')
      .select('name')
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    const name = row?.name?.trim();
    return name ? name : null;
  } catch (error) {
    // The account page still works without the store; a wrong query is a bug and must surface.
    if (isStoreUnavailable(error)) return null;
    throw error;
  }
}
