/** Links into the account pages that bring the reader back to where they were. */
import { PATHS } from '../site/paths';

export function signInHref(returnTo: string): string {
  return `${PATHS.signIn}?redirect_url=${encodeURIComponent(returnTo)}`;
}

export function signUpHref(returnTo: string): string {
  return `${PATHS.signUp}?redirect_url=${encodeURIComponent(returnTo)}`;
}
