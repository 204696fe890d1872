/**
 * A sign-up attempt as clerk-js 6 reads it (`SignUp.fromJSON`).
 */

export interface SignUpData {
  id: string;
  status: 'missing_requirements' | 'complete' | 'abandoned';
  emailAddress: string | null;
  firstName: string | null;
  lastName: string | null;
  /** Held until the account is created; never serialized. */
  password: string | null;
  /** The email code verification, once prepared. */
  verification: { status: 'unverified' | 'verified' | 'failed' | 'expired'; attempts: number; expireAt: number } | null;
  createdUserId: string | null;
  createdSessionId: string | null;
  locale: string | null;
  createdAt: number;
}

/** A sign-up attempt (`SignUp.fromJSON`): email + password, verified by an email code. */
export function signUpResource(signUp: SignUpData) {
  const verified = signUp.verification?.status === 'verified';
  const missing = [...(signUp.emailAddress ? [] : ['email_address']), ...(signUp.password ? [] : ['password'])];
  return {
    object: 'sign_up',
    id: signUp.id,
    status: signUp.status,
    required_fields: ['email_address', 'password'],
    optional_fields: ['first_name', 'last_name'],
    missing_fields: signUp.status === 'complete' ? [] : missing,
    unverified_fields: signUp.emailAddress && !verified ? ['email_address'] : [],
    verifications: {
      email_address: signUp.verification
        ? {
            object: 'verification',
            status: signUp.verification.status,
            strategy: 'email_code',
            attempts: signUp.verification.attempts,
            expire_at: signUp.verification.expireAt,
            next_action: verified ? '' : 'needs_attempt',
            supported_strategies: ['email_code'],
            error: null,
            verified_at_client: null,
          }
        : null,
      phone_number: null,
      web3_wallet: null,
      external_account: null,
    },
    protect_check: null,
    username: null,
    first_name: signUp.firstName,
    last_name: signUp.lastName,
    email_address: signUp.emailAddress,
    phone_number: null,
    web3_wallet: null,
    external_account_strategy: null,
    external_account: null,
    has_password: signUp.password !== null || signUp.createdUserId !== null,
    unsafe_metadata: {},
    public_metadata: {},
    created_session_id: signUp.createdSessionId,
    created_user_id: signUp.createdUserId,
    abandon_at: signUp.createdAt + 86_400_000,
    legal_accepted_at: null,
    locale: signUp.locale,
  };
}
