/**
 * The instance settings clerk-js and Clerk's UI read first (`GET /v1/environment`).
 */

export interface EnvironmentOptions {
  /** The site's origin: home, sign-in and after-sign-out URLs. */
  origin: string;
  /** Application name shown in Clerk's components. */
  applicationName?: string;
  /** Turn on organizations (the stand-in's team account needs them). */
  organizations?: boolean;
  /** `restricted`: Clerk's <SignUp/> says sign-ups are closed instead of offering a form. */
  signUpMode?: 'public' | 'restricted';
  /** Clerk Billing for users (plans in billing.ts); organizations never. */
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
