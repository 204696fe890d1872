/**
 * A sign-in attempt as clerk-js 6 reads it (`SignIn.fromJSON`).
 */
import type { UserData } from './users.ts';

export interface SignInData {
  id: string;
  status: 'needs_identifier' | 'needs_first_factor' | 'complete';
  identifier: string | null;
  user: UserData | null;
  createdSessionId: string | null;
  firstFactorVerified: boolean;
  createdAt: number;
}

/** A sign-in attempt. Password is the only first factor the stand-in offers. */
export function signInResource(signIn: SignInData) {
  return {
    object: 'sign_in_attempt',
    id: signIn.id,
    status: signIn.status,
    supported_identifiers: ['email_address'],
    identifier: signIn.identifier,
    supported_first_factors: signIn.user ? [{ strategy: 'password' }] : [],
    supported_second_factors: null,
    first_factor_verification: signIn.firstFactorVerified
      ? { object: 'verification', status: 'verified', strategy: 'password', attempts: 1, expire_at: null }
      : null,
    second_factor_verification: null,
    user_data: signIn.user
      ? { first_name: signIn.user.firstName, last_name: signIn.user.lastName, image_url: '', has_image: false }
      : null,
    created_session_id: signIn.createdSessionId,
    abandon_at: signIn.createdAt + 86_400_000,
    locale: null,
  };
}
