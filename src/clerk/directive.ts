/**
 * `client:session`: hydrate an island only for a browser that has a Clerk session.
 *
 * Clerk's client cookie `__client_uat` holds the time of the browser's last sign-in, and 0 (or nothing)
 * when signed out. Readers without a session keep the server-rendered HTML (the "Sign in" link) and
 * download neither React nor Clerk. This only decides what to *load*; the server verifies sessions
 * itself and Clerk's UI shows the truth once loaded.
 */
import type { ClientDirective } from 'astro';
import { hasClerkSession } from './session-cookie';

const session: ClientDirective = async (load) => {
  if (!hasClerkSession()) return;
  const hydrate = await load();
  await hydrate();
};

export default session;
