/**
 * Clerk in one island, loaded on demand: `<ClerkProvider>` from Clerk's React SDK (`@clerk/react`),
 * which downloads clerk-js and Clerk's UI from the Frontend API (or the proxy) when it first mounts. Only
 * islands that need Clerk render one, and only in the browser: the server renders the `fallback`, so
 * static pages and readers without a session never download Clerk (docs/clerk.md, "In the browser").
 *
 * The islands of one page share one Clerk instance (`@clerk/react` keeps one per publishable key), so a
 * page with several islands loads Clerk once. The settings come from the server at run time
 * (./browser-settings.ts), so a site built without keys works once the server has them.
 */
import { ClerkProvider, useClerk } from '@clerk/react';
import { useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { browserClerkSettings, type BrowserSettings } from './browser-settings';

/** Where Clerk is for this island: its settings are being fetched or Clerk loads, ready, off, or failed. */
export type ClerkState = 'loading' | 'ready' | 'disabled' | 'failed';
/** The states an island can be in without a `<ClerkProvider>` around it. */
export type ClerkStateOutside = Exclude<ClerkState, 'ready'>;

/**
 * Clerk's own status (`clerk.status` and its `status` event) as a ClerkState: `degraded` (Clerk works,
 * partly) counts as ready, `error` (clerk-js or Clerk's UI did not load) as failed. Inside a
 * `<ClerkIsland>` only.
 */
export function useClerkState(): Exclude<ClerkState, 'disabled'> {
  const clerk = useClerk();
  const status = useSyncExternalStore(
    (onChange) => {
      clerk.on('status', onChange);
      return () => clerk.off('status', onChange);
    },
    () => clerk.status,
    () => 'loading' as const,
  );
  if (status === 'ready' || status === 'degraded') return 'ready';
  return status === 'error' ? 'failed' : 'loading';
}

function ReportState({ onState }: { onState: (state: ClerkState) => void }) {
  const state = useClerkState();
  useEffect(() => onState(state), [state, onState]);
  return null;
}

interface Props {
  /** Rendered inside `<ClerkProvider>`: Clerk's components and hooks work here. */
  children: ReactNode;
  /** Rendered instead while the settings load (and on the server), or when Clerk is off or unreachable. */
  fallback?: (state: ClerkStateOutside) => ReactNode;
  /** Told every state, outside the provider and in it (for islands that wait on Clerk without its UI). */
  onState?: (state: ClerkState) => void;
}

export function ClerkIsland({ children, fallback, onState }: Props) {
  const [settings, setSettings] = useState<BrowserSettings | 'failed' | undefined>();
  useEffect(() => {
    let active = true;
    browserClerkSettings().then(
      (value) => active && setSettings(value),
      (error: unknown) => {
        console.warn('[gatepost] Clerk settings could not be loaded:', error);
        if (active) setSettings('failed');
      },
    );
    return () => {
      active = false;
    };
  }, []);
  const provider = settings !== undefined && settings !== 'failed' && settings.enabled ? settings.provider : null;
  const outside: ClerkStateOutside | null = provider
    ? null
    : settings === undefined
      ? 'loading'
      : settings === 'failed'
        ? 'failed'
        : 'disabled';
  useEffect(() => {
    if (outside) onState?.(outside);
  }, [outside, onState]);
  if (!provider) return <>{fallback?.(outside ?? 'loading')}</>;
  return (
    <ClerkProvider {...provider}>
      {onState && <ReportState onState={onState} />}
      {children}
    </ClerkProvider>
  );
}
