/**
 * `client:session`: hydrate an island only for a browser that has a Clerk session.
 *
 * Clerk's client cookie `__client_uat` holds the time of the browser's last sign-in, and 0 (or nothing)
 * when signed out. Readers without a session keep the server-rendered HTML (the "Sign in" link) and
 * download neither React nor Clerk. This only decides what to *load*; the server verifies sessions
 * itself and Clerk's UI shows the truth once loaded.
 *
 * A static page built without a publishable key renders its "Sign in" link hidden, naming where the
 * server's Clerk settings are (`data-sign-in-pending`): for a reader without a session this asks once
 * per tab and shows the link only when sign-in is on, so a site running without Clerk promises nothing.
 */
import type { ClientDirective } from 'astro';
import { hasClerkSession } from './session-cookie';

const SIGN_IN_STATE = 'gatepost:sign-in';

async function signInIsOn(configUrl: string): Promise<boolean> {
  try {
    const known = sessionStorage.getItem(SIGN_IN_STATE);
    if (known) return known === 'on';
  } catch {
    // Storage blocked: ask every time.
  }
  const on = await fetch(configUrl, { credentials: 'same-origin' })
    .then((response) => (response.ok ? (response.json() as Promise<{ enabled?: unknown }>) : { enabled: false }))
    .then((settings) => settings.enabled === true)
    .catch(() => false);
  try {
    sessionStorage.setItem(SIGN_IN_STATE, on ? 'on' : 'off');
  } catch {
    // as above
  }
  return on;
}

const session: ClientDirective = async (load, _options, el) => {
  if (!hasClerkSession()) {
    const pending = el.querySelector<HTMLElement>('[data-sign-in-pending]');
    const configUrl = pending?.dataset.signInPending;
    if (pending && configUrl && (await signInIsOn(configUrl))) pending.hidden = false;
    return;
  }
  const hydrate = await load();
  await hydrate();
};

export default session;
