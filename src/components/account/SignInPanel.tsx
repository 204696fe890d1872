import { SignIn } from '@clerk/react';
import ClerkPanel from './ClerkPanel';
import { PATHS, routeBase } from '../../site/paths';

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
        path={routeBase(PATHS.signIn)}
        signUpUrl={signUpUrl}
        forceRedirectUrl={redirectUrl}
        signUpForceRedirectUrl={redirectUrl}
      />
    </ClerkPanel>
  );
}
