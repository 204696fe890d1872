/**
 * Whether this page is about to be reloaded for the reader's organization (src/clerk/useOnlyOrganization.ts
 * decides and says so here), for islands that must not show a paywall that is about to stop applying
 * (src/components/account/AccessCheck.tsx). One value per page; islands share this module.
 *
 * - `pending`: not decided yet (Clerk is loading);
 * - `activating`: an organization is being made active, or the page reloads for it;
 * - `settled`: nothing to do: what the server rendered stands.
 */
export type ActivationStatus = 'pending' | 'activating' | 'settled';

let status: ActivationStatus = 'pending';
const listeners = new Set<() => void>();

export function activationStatus(): ActivationStatus {
  return status;
}

export function setActivationStatus(next: ActivationStatus): void {
  if (next === status) return;
  status = next;
  for (const listener of listeners) listener();
}

/** For `useSyncExternalStore`. */
export function onActivationStatus(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
