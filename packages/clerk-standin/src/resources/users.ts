/**
 * The JSON shapes of Clerk's Frontend API (FAPI) for users, organizations, memberships and invitations, as
 * clerk-js 6 reads them. Only the fields clerk-js and @clerk/ui read are filled in; timestamps are
 * milliseconds, as in FAPI. Checked against clerk-js 6.40.0's resource classes (`fromJSON`).
 */
import { roleName, ROLE_PERMISSIONS } from './roles.ts';

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
  /** Set when the organization changes after it was created (its webhooks' and the mirror's version). */
  updatedAt?: number;
}

export interface MembershipData {
  id: string;
  organization: OrganizationData;
  /** Clerk's role key, e.g. `org:member`. */
  role: string;
  createdAt: number;
  /** Set when the role changes. */
  updatedAt?: number;
}

export interface InvitationData {
  id: string;
  emailAddress: string;
  role: string;
  status: 'pending' | 'accepted' | 'revoked';
  createdAt: number;
  updatedAt: number;
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
    updated_at: org.updatedAt ?? org.createdAt,
  };
}

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
    updated_at: membership.updatedAt ?? membership.createdAt,
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

export function invitationResource(invitation: InvitationData, org: OrganizationData) {
  return {
    object: 'organization_invitation',
    id: invitation.id,
    email_address: invitation.emailAddress,
    organization_id: org.id,
    public_organization_data: { id: org.id, name: org.name, slug: org.slug, image_url: '', has_image: false },
    public_metadata: {},
    role: invitation.role,
    role_name: roleName(invitation.role),
    status: invitation.status,
    created_at: invitation.createdAt,
    updated_at: invitation.updatedAt,
  };
}
