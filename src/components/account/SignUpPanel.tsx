import { SignUp } from '@clerk/astro/react';
import ClerkPanel from './ClerkPanel';

interface Props {
  /** A same-origin path, already checked on the server. */
  redirectUrl: string;
  signInUrl: string;
}

export default function SignUpPanel({ redirectUrl, signInUrl }: Props) {
  return (
    <ClerkPanel what="sign-up">
      <SignUp
        routing="path"
        path="/sign-up"
        signInUrl={signInUrl}
        forceRedirectUrl={redirectUrl}
        signInForceRedirectUrl={redirectUrl}
      />
    </ClerkPanel>
  );
}
