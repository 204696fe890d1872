import { useId, useState } from 'react';
import { formatLongDate } from '../../site/dates';

interface Props {
  slug: string;
  /** POST target (PATHS.giftLinks). */
  endpoint: string;
}

type State =
  | { kind: 'idle' }
  | { kind: 'busy' }
  | { kind: 'done'; url: string; expires: string; copied: boolean }
  | { kind: 'error'; message: string };

// The site's one date format (src/site/dates.ts), as the gift banner shows the same date.
const formatExpiry = (iso: string) => formatLongDate(new Date(iso));

/** The Share button of a gated article: creates a gift link, shows it with a copy button and its expiry. */
export default function ShareGift({ slug, endpoint }: Props) {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const fieldId = useId();

  async function create() {
    setState({ kind: 'busy' });
    try {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ slug }),
        credentials: 'same-origin',
      });
      const body = (await response.json().catch(() => ({}))) as { url?: string; expiresAt?: string; error?: string };
      if (!response.ok || !body.url || !body.expiresAt) {
        setState({ kind: 'error', message: body.error ?? `Could not create a gift link (${response.status}).` });
        return;
      }
      setState({ kind: 'done', url: body.url, expires: formatExpiry(body.expiresAt), copied: false });
    } catch {
      setState({ kind: 'error', message: 'Could not reach the server. Try again.' });
    }
  }

  async function copy(url: string, expires: string) {
    try {
      await navigator.clipboard.writeText(url);
      setState({ kind: 'done', url, expires, copied: true });
    } catch {
      setState({ kind: 'done', url, expires, copied: false });
    }
  }

  return (
    <section aria-label="Share this article" className="mt-8 font-sans" data-share-gift>
      <button
        type="button"
        onClick={create}
        disabled={state.kind === 'busy'}
        className="rounded-lg border border-stone-300 px-4 py-2 font-semibold hover:border-accent-600 focus-visible:outline-2 dark:border-stone-600"
      >
        {state.kind === 'busy' ? 'Creating gift link…' : 'Share as a gift'}
      </button>
      <div aria-live="polite" className="mt-3">
        {state.kind === 'done' && (
          <div>
            <label htmlFor={fieldId} className="block text-sm font-semibold">
              Gift link, readable by anyone until {state.expires}
            </label>
            <div className="mt-1 flex gap-2">
              <input
                id={fieldId}
                readOnly
                value={state.url}
                data-gift-url
                className="w-full rounded border border-stone-300 px-2 py-1 text-sm dark:border-stone-600 dark:bg-stone-900"
                onFocus={(event) => event.currentTarget.select()}
              />
              <button
                type="button"
                onClick={() => copy(state.url, state.expires)}
                className="rounded border border-stone-300 px-3 py-1 text-sm font-semibold dark:border-stone-600"
              >
                Copy
              </button>
            </div>
            {state.copied && <p className="mt-1 text-sm">Copied.</p>}
          </div>
        )}
        {state.kind === 'error' && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-300">
            {state.message}
          </p>
        )}
      </div>
    </section>
  );
}
