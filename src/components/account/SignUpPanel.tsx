import { SignUp } from '@clerk/react';
import ClerkPanel from './ClerkPanel';
import { PATHS, routeBase } from '../../site/paths';

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
        path={routeBase(PATHS.signUp)}
        signInUrl={signInUrl}
        forceRedirectUrl={redirectUrl}
        signInForceRedirectUrl={redirectUrl}
      />
    </ClerkPanel>
  );
}
