/**
 * The JSON shapes Clerk's Frontend API (FAPI) answers with, as clerk-js 6 reads them: the instance
 * environment, clients, sessions, users, sign-in attempts and organization memberships. Shared by the
 * stand-in server (fapi.ts) and the Playwright route stub (tests/support/fapi-stub.ts).
 *
 * Only the fields clerk-js and @clerk/ui read are filled in; timestamps are milliseconds, as in FAPI.
 * Field names and values were checked against clerk-js 6.40.0's resource classes (`fromJSON`).
 */

export interface UserData {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  publicMetadata?: Record<string, unknown>;
  memberships?: MembershipData[];
  createdAt: number;
  updatedAt: number;
}

export interface OrganizationData {
  id: string;
  name: string;
  slug: string;
  publicMetadata: Record<string, unknown>;
  membersCount: number;
  createdAt: number;
}

export interface MembershipData {
  id: string;
  organization: OrganizationData;
  /** Clerk's role key, e.g. `org:member`. */
  role: string;
  createdAt: number;
}

export const emailIdOf = (userId: string) => `idn_${userId.replace(/^user_/, '')}`;

export function publicUserData(user: UserData) {
  return {
    first_name: user.firstName,
    last_name: user.lastName,
    image_url: '',
    has_image: false,
    identifier: user.email,
    user_id: user.id,
  };
}

export function organizationResource(org: OrganizationData) {
  return {
    object: 'organization',
    id: org.id,
    name: org.name,
    slug: org.slug,
    image_url: '',
    has_image: false,
    members_count: org.membersCount,
    pending_invitations_count: 0,
    public_metadata: org.publicMetadata,
    admin_delete_enabled: false,
    max_allowed_memberships: 0,
    created_at: org.createdAt,
    updated_at: org.createdAt,
  };
}

/** What each of Clerk's default organization roles may do (Clerk's UI shows pages by these). */
export const ROLE_PERMISSIONS: Record<string, string[]> = {
  'org:admin': [
    'org:sys_profile:manage',
    'org:sys_profile:delete',
    'org:sys_memberships:read',
    'org:sys_memberships:manage',
    'org:sys_domains:read',
    'org:sys_domains:manage',
  ],
  'org:member': ['org:sys_memberships:read'],
};

export function membershipResource(membership: MembershipData, user: UserData) {
  return {
    object: 'organization_membership',
    id: membership.id,
    organization: organizationResource(membership.organization),
    public_metadata: {},
    public_user_data: publicUserData(user),
    permissions: ROLE_PERMISSIONS[membership.role] ?? [],
    role: membership.role,
    role_name: membership.role.replace(/^org:/, '').replace(/^./, (c) => c.toUpperCase()),
    created_at: membership.createdAt,
    updated_at: membership.createdAt,
  };
}

export function userResource(user: UserData) {
  const emailId = emailIdOf(user.id);
  return {
    object: 'user',
    id: user.id,
    external_id: null,
    first_name: user.firstName,
    last_name: user.lastName,
    username: null,
    image_url: '',
    has_image: false,
    primary_email_address_id: emailId,
    primary_phone_number_id: null,
    primary_web3_wallet_id: null,
    email_addresses: [
      {
        object: 'email_address',
        id: emailId,
        email_address: user.email,
        reserved: false,
        verification: { status: 'verified', strategy: 'email_code', attempts: 1, expire_at: null },
        linked_to: [],
        matches_sso_connection: false,
        created_at: user.createdAt,
        updated_at: user.createdAt,
      },
    ],
    phone_numbers: [],
    web3_wallets: [],
    passkeys: [],
    external_accounts: [],
    saml_accounts: [],
    enterprise_accounts: [],
    organization_memberships: (user.memberships ?? []).map((m) => membershipResource(m, user)),
    password_enabled: true,
    totp_enabled: false,
    backup_code_enabled: false,
    two_factor_enabled: false,
    public_metadata: user.publicMetadata ?? {},
    unsafe_metadata: {},
    last_sign_in_at: user.updatedAt,
    banned: false,
    locked: false,
    delete_self_enabled: false,
    create_organization_enabled: false,
    legal_accepted_at: null,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
  };
}

export interface SessionData {
  id: string;
  user: UserData;
  status: 'active' | 'ended' | 'removed';
  /** The session token clerk-js starts with. */
  lastActiveToken: string;
  activeOrganizationId: string | null;
  createdAt: number;
  lastActiveAt: number;
}

export function sessionResource(session: SessionData) {
  return {
    object: 'session',
    id: session.id,
    status: session.status,
    expire_at: session.lastActiveAt + 7 * 86_400_000,
    abandon_at: session.createdAt + 30 * 86_400_000,
    last_active_at: session.lastActiveAt,
    last_active_organization_id: session.activeOrganizationId,
    last_active_token: { object: 'token', jwt: session.lastActiveToken },
    actor: null,
    tasks: null,
    factor_verification_age: [0, -1],
    user: userResource(session.user),
    public_user_data: publicUserData(session.user),
    created_at: session.createdAt,
    updated_at: session.lastActiveAt,
  };
}

/** The entry UserProfile's "Active devices" list shows for a session. */
export function sessionWithActivityResource(session: SessionData) {
  const { object, id, status, expire_at, abandon_at, last_active_at, actor } = sessionResource(session);
  return {
    object,
    id,
    status,
    expire_at,
    abandon_at,
    last_active_at,
    actor,
    latest_activity: {
      object: 'session_activity',
      id: `sess_activity_${id}`,
      browser_name: 'Chromium',
      browser_version: '',
      device_type: 'Local demo',
      ip_address: '127.0.0.1',
      city: '',
      country: '',
      is_mobile: false,
    },
  };
}

export interface ClientData {
  id: string;
  sessions: SessionData[];
  signIn: ReturnType<typeof signInResource> | null;
  signUp: ReturnType<typeof signUpResource> | null;
  lastActiveSessionId: string | null;
  createdAt: number;
  /** Becomes the `__client_uat` cookie (in seconds). */
  updatedAt: number;
}

export function clientResource(client: ClientData) {
  return {
    object: 'client',
    id: client.id,
    sessions: client.sessions.map(sessionResource),
    sign_in: client.signIn,
    sign_up: client.signUp,
    last_active_session_id: client.lastActiveSessionId,
    captcha_bypass: false,
    cookie_expires_at: null,
    created_at: client.createdAt,
    updated_at: client.updatedAt,
  };
}

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

export interface EnvironmentOptions {
  /** The site's origin: home, sign-in and after-sign-out URLs. */
  origin: string;
  /** Application name shown in Clerk's components. */
  applicationName?: string;
  /** Turn on organizations (the stand-in's team account needs them). */
  organizations?: boolean;
  /** `restricted`: Clerk's <SignUp/> says sign-ups are closed instead of offering a form. */
  signUpMode?: 'public' | 'restricted';
  /** Clerk Billing for users (plans in fapi-billing.ts); organizations never. */
  billing?: boolean;
}

/** A production instance with email + password sign-in; Clerk Billing for users when asked. */
export function environmentResource({
  origin,
  applicationName = 'Gatepost',
  organizations = false,
  signUpMode = 'public',
  billing = false,
}: EnvironmentOptions) {
  const attribute = (enabled: boolean, extra: Record<string, unknown> = {}) => ({
    enabled,
    required: false,
    used_for_first_factor: false,
    first_factors: [],
    used_for_second_factor: false,
    second_factors: [],
    verifications: [],
    verify_at_sign_up: false,
    ...extra,
  });
  return {
    object: 'environment',
    id: 'env_stub',
    auth_config: {
      object: 'auth_config',
      id: 'aac_stub',
      single_session_mode: true,
      claimed_at: null,
      reverification: false,
    },
    display_config: {
      object: 'display_config',
      id: 'display_config_stub',
      instance_environment_type: 'production',
      application_name: applicationName,
      branded: false,
      theme: {
        buttons: { font_color: '#ffffff', font_family: 'inherit', font_weight: '600' },
        general: { color: '#6c47ff' },
      },
      preferred_sign_in_strategy: 'password',
      logo_image_url: '',
      favicon_image_url: '',
      home_url: origin,
      sign_in_url: `${origin}/sign-in`,
      sign_up_url: `${origin}/sign-up`,
      user_profile_url: `${origin}/account`,
      after_sign_in_url: origin,
      after_sign_up_url: origin,
      after_sign_out_one_url: origin,
      after_sign_out_all_url: origin,
      after_switch_session_url: origin,
      organization_profile_url: '',
      create_organization_url: '',
      after_leave_organization_url: '',
      after_create_organization_url: '',
      support_email: null,
      clerk_js_version: '6',
      show_devmode_warning: false,
      captcha_public_key: null,
      captcha_widget_type: null,
      captcha_public_key_invisible: null,
      captcha_provider: null,
      captcha_oauth_bypass: [],
      google_one_tap_client_id: null,
      help_url: null,
      privacy_policy_url: null,
      terms_url: null,
    },
    user_settings: {
      attributes: {
        email_address: attribute(true, {
          required: true,
          used_for_first_factor: true,
          first_factors: ['email_code'],
          verifications: ['email_code'],
          verify_at_sign_up: true,
        }),
        phone_number: attribute(false),
        username: attribute(false),
        web3_wallet: attribute(false),
        first_name: attribute(true),
        last_name: attribute(true),
        password: attribute(true, { required: true }),
        authenticator_app: attribute(false),
        backup_code: attribute(false),
        passkey: attribute(false),
      },
      social: {},
      enterprise_sso: { enabled: false },
      saml: { enabled: false },
      sign_in: { second_factor: { required: false } },
      sign_up: {
        captcha_enabled: false,
        captcha_widget_type: null,
        custom_action_required: false,
        progressive: true,
        mode: signUpMode,
        legal_consent_enabled: false,
      },
      restrictions: {
        allowlist: { enabled: false },
        blocklist: { enabled: false },
        block_email_subaddresses: { enabled: false },
        block_disposable_email_domains: { enabled: false },
        ignore_dots_for_gmail_addresses: { enabled: false },
      },
      password_settings: {
        min_length: 8,
        max_length: 72,
        disable_hibp: true,
        require_special_char: false,
        require_numbers: false,
        require_uppercase: false,
        require_lowercase: false,
        show_zxcvbn: false,
        min_zxcvbn_strength: 0,
        enforce_hibp_on_sign_in: false,
        allowed_special_characters: '',
      },
      passkey_settings: { allow_autofill: false, show_sign_in_button: false },
      username_settings: { min_length: 4, max_length: 64 },
      actions: { delete_self: false, create_organization: false },
      attack_protection: {
        user_lockout: { enabled: false },
        pii: { enabled: false },
        email_link: { require_same_client: false },
      },
    },
    organization_settings: {
      enabled: organizations,
      max_allowed_memberships: organizations ? 5 : 0,
      force_organization_selection: false,
      actions: { admin_delete: false },
      domains: { enabled: false, enrollment_modes: [], default_role: null },
    },
    commerce_settings: {
      billing: {
        stripe_publishable_key: null,
        user: { enabled: billing, has_paid_plans: billing },
        organization: { enabled: false, has_paid_plans: false },
      },
    },
    api_keys_settings: { enabled: false, user_api_keys_enabled: false, orgs_api_keys_enabled: false },
    maintenance_mode: false,
    client_debug_mode: false,
  };
}

/** Clerk's error body: what clerk-js turns into a `ClerkAPIResponseError` and the UI shows. */
export function clerkErrorBody(code: string, message: string, longMessage = message, paramName?: string) {
  return {
    errors: [{ code, message, long_message: longMessage, meta: paramName ? { param_name: paramName } : {} }],
    clerk_trace_id: `standin_${Date.now().toString(36)}`,
  };
}
