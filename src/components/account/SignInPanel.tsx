import { SignIn } from '@clerk/astro/react';
import ClerkPanel from './ClerkPanel';

interface Props {
  /** A same-origin path, already checked on the server. */
  redirectUrl: string;
  signUpUrl: string;
}

export default function SignInPanel({ redirectUrl, signUpUrl }: Props) {
  return (
    <ClerkPanel what="sign-in">
      <SignIn
        routing="path"
        path="/sign-in"
        signUpUrl={signUpUrl}
        forceRedirectUrl={redirectUrl}
        signUpForceRedirectUrl={redirectUrl}
      />
    </ClerkPanel>
  );
}
