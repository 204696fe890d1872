/**
 * Wraps one of Clerk's prebuilt components (sign-in, sign-up, profile, pricing table) in its own Clerk
 * island (src/clerk/ClerkIsland.tsx): shows a placeholder while Clerk loads and a plain message if it
 * cannot.
 *
 * Clerk's component is mounted only once Clerk is ready (`useClerkState`, which reads `clerk.status`
 * whenever it subscribes). Mounted earlier, it waits for `<ClerkProvider>` to hear Clerk's `status`
 * event, and a provider can miss it: the islands of a page share one Clerk instance, and when another
 * island's Clerk finishes loading between this provider's first render and its subscription (an effect,
 * which a busy browser runs late), the provider stays at "loading" and the component renders nothing,
 * for good.
 */
import type { ReactNode } from 'react';
import { ClerkIsland, useClerkState, type ClerkState } from '../../clerk/ClerkIsland';

interface Props {
  children: ReactNode;
  what: string;
  /** 'column': the component fills the page's text column (profiles); else it is centred (forms). */
  layout?: 'centred' | 'column';
}

/** Makes a profile component fill the text column, its left edge on the page's headings. */
export const COLUMN_APPEARANCE = { elements: { rootBox: 'w-full', cardBox: 'w-full max-w-none' } };

type Layout = NonNullable<Props['layout']>;

function Frame({
  state,
  what,
  layout,
  children,
}: {
  state: ClerkState;
  what: string;
  layout: Layout;
  children?: ReactNode;
}) {
  return (
    <div
      className={`flex min-h-96 flex-col ${layout === 'column' ? 'items-stretch' : 'items-center'}`}
      data-clerk-state={state}
    >
      {state === 'failed' || state === 'disabled' ? (
        <p role="alert" className="max-w-md rounded-xl border border-red-300 bg-red-50 p-4 text-red-900">
          {state === 'failed'
            ? `The ${what} form could not be loaded. Check your connection and reload the page.`
            : `Sign-in is not set up on this site yet.`}
        </p>
      ) : state === 'ready' ? (
        children
      ) : (
        <p className="text-stone-500 dark:text-stone-400">{`Loading ${what}…`}</p>
      )}
    </div>
  );
}

function WithClerk({ children, what, layout }: { children: ReactNode; what: string; layout: Layout }) {
  return (
    <Frame state={useClerkState()} what={what} layout={layout}>
      {children}
    </Frame>
  );
}

export default function ClerkPanel({ children, what, layout = 'centred' }: Props) {
  return (
    <ClerkIsland fallback={(state) => <Frame state={state} what={what} layout={layout} />}>
      <WithClerk what={what} layout={layout}>
        {children}
      </WithClerk>
    </ClerkIsland>
  );
}
