import { useEffect, useState } from 'react';
import { loadClerk } from './loader';

export type LoadState = 'idle' | 'loading' | 'ready' | 'disabled' | 'failed';

/** Starts loading Clerk when `enabled` and reports progress, so islands can show a fallback. */
export function useClerkLoader(enabled = true): LoadState {
  const [state, setState] = useState<LoadState>('idle');
  useEffect(() => {
    if (!enabled) return;
    let active = true;
    setState('loading');
    void loadClerk().then((result) => active && setState(result));
    return () => {
      active = false;
    };
  }, [enabled]);
  return state;
}
