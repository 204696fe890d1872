/**
 * The checkout step's button (pricing page, `?checkout=<plan>`): opens Clerk Billing's checkout for one
 * plan with Clerk's `<CheckoutButton/>` (from `@clerk/react/experimental`, like Billing itself). When the
 * payment is done, Clerk's "Continue" opens `newSubscriptionRedirectUrl`: the article with the refresh
 * marker, so it shows unlocked at once (src/site/upgrade.ts).
 */
import { CheckoutButton } from '@clerk/react/experimental';
import { ClerkIsland, useClerkState, type ClerkState } from '../../clerk/ClerkIsland';

interface Props {
  /** Clerk Billing's plan id. */
  planId: string;
  /** Where Clerk's "Continue" goes once subscribed. */
  newSubscriptionRedirectUrl: string;
  label: string;
}

const BUTTON =
  'inline-flex min-h-11 w-full items-center justify-center rounded-lg bg-accent-700 px-5 py-2.5 font-sans font-semibold text-white hover:bg-accent-600 disabled:cursor-wait disabled:opacity-70';

/** What shows until Clerk is ready: a disabled button while it loads, a plain message if it cannot. */
function NotReady({ state }: { state: Exclude<ClerkState, 'ready'> }) {
  if (state === 'failed' || state === 'disabled') {
    return (
      <p role="alert" className="rounded-xl border border-red-300 bg-red-50 p-4 text-red-900">
        The checkout could not be loaded. Check your connection and reload the page.
      </p>
    );
  }
  return (
    <button type="button" className={BUTTON} disabled>
      Loading the checkout…
    </button>
  );
}

function Checkout({ planId, newSubscriptionRedirectUrl, label }: Props) {
  const state = useClerkState();
  if (state !== 'ready') return <NotReady state={state} />;
  return (
    <CheckoutButton planId={planId} planPeriod="month" newSubscriptionRedirectUrl={newSubscriptionRedirectUrl}>
      <button type="button" className={BUTTON} data-checkout-button>
        {label}
      </button>
    </CheckoutButton>
  );
}

export default function CheckoutPanel(props: Props) {
  return (
    <ClerkIsland fallback={(state) => <NotReady state={state} />}>
      <Checkout {...props} />
    </ClerkIsland>
  );
}
