/**
 * Organizations in the stand-in's Frontend API: what Clerk's <OrganizationSwitcher/> and
 * <OrganizationProfile/> call (the reader's memberships and invitations, an organization's members,
 * roles and invitations). Switching itself is the session's `touch` (sessions.ts).
 *
 * Invitations are kept and listed, and the invited address sees them in its switcher once it has an
 * account here; no email is sent. Domains and membership requests are off (`domains.enabled: false`).
 */
import { randomBytes } from 'node:crypto';
import type { Account, Invitation, Organization } from '../accounts.ts';
import { listParam, stringParam } from '../http.ts';
import type { Instance } from '../instance.ts';
import {
  invitationResource,
  membershipResource,
  organizationResource,
  ROLE_PERMISSIONS,
  roleResource,
  ROLES,
  type MembershipData,
} from '../resources/index.ts';
import { membershipEvent, organizationEvent } from '../webhooks/events.ts';
import type { Call, FapiRoute, Handler } from './call.ts';
import { asUser, page } from './call.ts';

const MAX_INVITATIONS = 100;

/** Everyone in an organization, with their membership. */
function membersOf(instance: Instance, orgId: string): { account: Account; membership: MembershipData }[] {
  return [...instance.accounts.values()].flatMap((account) =>
    account.memberships.filter((m) => m.organization.id === orgId).map((membership) => ({ account, membership })),
  );
}

function refreshCount(instance: Instance, org: Organization) {
  org.membersCount = membersOf(instance, org.id).length;
}

/** Sessions acting in an organization their user has left fall back to the personal account. */
function leaveSessions(instance: Instance, account: Account, orgId: string) {
  for (const session of instance.sessions.values()) {
    if (session.userId === account.id && session.activeOrganizationId === orgId) {
      session.activeOrganizationId = null;
      session.lastToken = null;
    }
  }
}

interface OrgCall {
  call: Call;
  account: Account;
  org: Organization;
  membership: MembershipData;
  params: Record<string, string>;
}

/**
 * `/v1/organizations/:id/…`: only for members of that organization, and only with `permission` when
 * one is named (Clerk's default roles: admins manage, members read the member list).
 */
const inOrganization =
  (permission: string | null, handle: (o: OrgCall) => void): Handler =>
  (call, params) => {
    const session = call.currentSession();
    if (!session) return call.fail(401, 'authentication_invalid', 'You are signed out. Sign in again.');
    const account = call.instance.accounts.get(session.userId)!;
    const orgId = params.orgId ?? params.id ?? '';
    const membership = call.instance.membershipOf(account, orgId);
    const org = call.instance.organizations.get(orgId);
    if (!membership || !org) return call.fail(404, 'resource_not_found', 'Organization not found.');
    if (permission && !(ROLE_PERMISSIONS[membership.role] ?? []).includes(permission)) {
      return call.fail(403, 'authorization_invalid', 'You are not allowed to do this in this organization.');
    }
    handle({ call, account, org, membership, params });
  };

const MANAGE_MEMBERS = 'org:sys_memberships:manage';

/** Clerk keeps at least one admin in every organization. */
function keepsAnAdmin(instance: Instance, orgId: string, userId: string, newRole: string | null): boolean {
  const admins = membersOf(instance, orgId).filter(({ membership }) => membership.role === 'org:admin');
  const remaining = admins.filter(({ account }) => account.id !== userId).length;
  return remaining > 0 || newRole === 'org:admin';
}

const lastAdmin = (call: Call) =>
  call.fail(
    422,
    'organization_minimum_permissions_needed',
    'There has to be at least one organization member with the administrator role.',
  );

function invite(o: OrgCall, emails: string[], role: string): Invitation[] | null {
  const { call, org } = o;
  if (!ROLES[role]) {
    call.fail(422, 'form_param_value_invalid', 'Choose a role.', undefined, 'role');
    return null;
  }
  const addresses = [...new Set(emails.map((e) => e.trim().toLowerCase()).filter(Boolean))];
  if (!addresses.length || addresses.some((a) => !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(a))) {
    call.fail(422, 'form_param_format_invalid', 'Enter valid email addresses.', undefined, 'email_address');
    return null;
  }
  const members = new Set(membersOf(call.instance, org.id).map(({ account }) => account.email.toLowerCase()));
  const already = addresses.find((a) => members.has(a));
  if (already) {
    call.fail(422, 'already_a_member_in_organization', `${already} is already a member.`, undefined, 'email_address');
    return null;
  }
  if (org.invitations.length + addresses.length > MAX_INVITATIONS) {
    call.fail(422, 'too_many_requests', 'This organization has too many invitations.');
    return null;
  }
  const now = Date.now();
  const created = addresses.map((emailAddress) => {
    const pending = org.invitations.find((i) => i.emailAddress === emailAddress && i.status === 'pending');
    if (pending) {
      Object.assign(pending, { role, updatedAt: now });
      return pending;
    }
    const invitation: Invitation = {
      id: `orginv_${randomBytes(10).toString('hex')}`,
      emailAddress,
      role,
      status: 'pending',
      createdAt: now,
      updatedAt: now,
    };
    org.invitations.push(invitation);
    return invitation;
  });
  call.ctx.log(`invited to ${org.name}: ${addresses.join(', ')} (no email is sent)`);
  return created;
}

/** Pending invitations addressed to a reader, across organizations. */
function invitationsFor(instance: Instance, account: Account) {
  const email = account.email.toLowerCase();
  return [...instance.organizations.values()].flatMap((org) =>
    org.invitations.filter((i) => i.status === 'pending' && i.emailAddress === email).map((i) => ({ org, i })),
  );
}

/** A new role for a member (PATCH), or their removal (DELETE); the path names the user, not the membership. */
function changeMember({ call, org, params }: OrgCall, remove: boolean) {
  const user = call.instance.accounts.get(params.userId ?? '');
  const membership = user && call.instance.membershipOf(user, org.id);
  if (!user || !membership) return call.fail(404, 'resource_not_found', 'Member not found.');
  const role = remove ? null : (stringParam(call.params, 'role') ?? membership.role);
  if (role !== null && !ROLES[role])
    return call.fail(422, 'form_param_value_invalid', 'Choose a role.', undefined, 'role');
  if (!keepsAnAdmin(call.instance, org.id, user.id, role)) return lastAdmin(call);
  if (role === null) {
    user.memberships = user.memberships.filter((m) => m !== membership);
    leaveSessions(call.instance, user, org.id);
    refreshCount(call.instance, org);
    call.instance.emit(membershipEvent('organizationMembership.deleted', membership, user));
  } else if (role !== membership.role) {
    membership.role = role;
    membership.updatedAt = Math.max(Date.now(), (membership.updatedAt ?? membership.createdAt) + 1);
    call.instance.emit(membershipEvent('organizationMembership.updated', membership, user));
  }
  call.reply(200, membershipResource(membership, user));
}

export const ORGANIZATION_ROUTES: FapiRoute[] = [
  // The reader's side: the switcher's lists, accepting an invitation, leaving.
  {
    methods: ['GET'],
    path: '/v1/me/organization_invitations',
    handle: asUser((call, account) => {
      const wanted = call.url.searchParams.getAll('status');
      const items = invitationsFor(call.instance, account).filter(
        ({ i }) => !wanted.length || wanted.includes(i.status),
      );
      page(
        call,
        items.map(({ org, i }) => invitationResource(i, org)),
      );
    }),
  },
  {
    methods: ['POST'],
    path: '/v1/me/organization_invitations/:id/accept',
    handle: asUser((call, account, _session, params) => {
      const found = invitationsFor(call.instance, account).find(({ i }) => i.id === params.id);
      if (!found) return call.fail(404, 'resource_not_found', 'Invitation not found.');
      const { org, i } = found;
      const now = Date.now();
      const membership: MembershipData = {
        id: `orgmem_${randomBytes(10).toString('hex')}`,
        organization: org,
        role: i.role,
        createdAt: now,
      };
      account.memberships.push(membership);
      Object.assign(i, { status: 'accepted', updatedAt: now });
      refreshCount(call.instance, org);
      call.instance.emit(membershipEvent('organizationMembership.created', membership, account));
      call.ctx.log(`${account.email} joined ${org.name}`);
      call.reply(200, invitationResource(i, org));
    }),
  },
  {
    methods: ['GET'],
    path: '/v1/me/organization_suggestions',
    handle: asUser((call) => page(call, [])),
  },
  {
    methods: ['DELETE'],
    path: '/v1/me/organization_memberships/:orgId',
    handle: inOrganization(null, ({ call, account, org, membership }) => {
      if (!keepsAnAdmin(call.instance, org.id, account.id, null)) return lastAdmin(call);
      account.memberships = account.memberships.filter((m) => m !== membership);
      leaveSessions(call.instance, account, org.id);
      refreshCount(call.instance, org);
      call.instance.emit(membershipEvent('organizationMembership.deleted', membership, account));
      call.ctx.log(`${account.email} left ${org.name}`);
      call.reply(200, { object: 'organization_membership', id: membership.id, deleted: true });
    }),
  },

  // The organization's side (<OrganizationProfile/>).
  {
    methods: ['GET'],
    path: '/v1/organizations/:id',
    handle: inOrganization(null, ({ call, org }) => call.reply(200, organizationResource(org))),
  },
  {
    methods: ['PATCH'],
    path: '/v1/organizations/:id',
    handle: inOrganization('org:sys_profile:manage', ({ call, org }) => {
      const name = stringParam(call.params, 'name')?.trim();
      const slug = stringParam(call.params, 'slug')?.trim();
      if (name !== undefined) {
        if (!name || name.length > 256) return call.fail(422, 'form_param_nil', 'Enter a name.', undefined, 'name');
        org.name = name;
      }
      if (slug !== undefined) {
        if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(slug)) {
          return call.fail(
            422,
            'form_param_format_invalid',
            'Use lowercase letters, digits and dashes.',
            undefined,
            'slug',
          );
        }
        const taken = [...call.instance.organizations.values()].some((o) => o !== org && o.slug === slug);
        if (taken) return call.fail(422, 'form_identifier_exists', 'This slug is taken.', undefined, 'slug');
        org.slug = slug;
      }
      org.updatedAt = Math.max(Date.now(), (org.updatedAt ?? org.createdAt) + 1);
      call.instance.emit(organizationEvent('organization.updated', org));
      call.reply(200, organizationResource(org));
    }),
  },
  {
    methods: ['GET'],
    path: '/v1/organizations/:id/memberships',
    handle: inOrganization('org:sys_memberships:read', ({ call, org }) => {
      const query = call.url.searchParams.get('query')?.trim().toLowerCase();
      const roles = call.url.searchParams.getAll('role');
      const items = membersOf(call.instance, org.id)
        .filter(({ membership }) => !roles.length || roles.includes(membership.role))
        .filter(
          ({ account }) =>
            !query || `${account.email} ${account.firstName} ${account.lastName}`.toLowerCase().includes(query),
        )
        .map(({ account, membership }) => membershipResource(membership, account));
      page(call, items);
    }),
  },
  {
    methods: ['POST'],
    path: '/v1/organizations/:id/memberships',
    handle: inOrganization(MANAGE_MEMBERS, ({ call, org }) => {
      const user = call.instance.accounts.get(stringParam(call.params, 'user_id') ?? '');
      const role = stringParam(call.params, 'role') ?? 'org:member';
      if (!user) return call.fail(404, 'resource_not_found', 'User not found.', undefined, 'user_id');
      if (!ROLES[role]) return call.fail(422, 'form_param_value_invalid', 'Choose a role.', undefined, 'role');
      if (call.instance.membershipOf(user, org.id)) {
        return call.fail(422, 'already_a_member_in_organization', 'Already a member.', undefined, 'user_id');
      }
      const membership: MembershipData = {
        id: `orgmem_${randomBytes(10).toString('hex')}`,
        organization: org,
        role,
        createdAt: Date.now(),
      };
      user.memberships.push(membership);
      refreshCount(call.instance, org);
      call.instance.emit(membershipEvent('organizationMembership.created', membership, user));
      call.reply(200, membershipResource(membership, user));
    }),
  },
  ...(['PATCH', 'DELETE'] as const).map((method): FapiRoute => ({
    methods: [method],
    path: '/v1/organizations/:orgId/memberships/:userId',
    handle: inOrganization(MANAGE_MEMBERS, (o) => changeMember(o, method === 'DELETE')),
  })),
  {
    methods: ['GET'],
    path: '/v1/organizations/:id/roles',
    handle: inOrganization('org:sys_memberships:read', ({ call, org }) =>
      page(
        call,
        Object.keys(ROLES).map((key) => roleResource(key, org.createdAt)),
        { has_role_set_migration: false },
      ),
    ),
  },
  {
    methods: ['GET'],
    path: '/v1/organizations/:id/invitations',
    handle: inOrganization(MANAGE_MEMBERS, ({ call, org }) => {
      const wanted = call.url.searchParams.getAll('status');
      page(
        call,
        org.invitations
          .filter((i) => !wanted.length || wanted.includes(i.status))
          .map((i) => invitationResource(i, org))
          .reverse(),
      );
    }),
  },
  {
    methods: ['POST'],
    path: '/v1/organizations/:id/invitations',
    handle: inOrganization(MANAGE_MEMBERS, (o) => {
      const created = invite(o, listParam(o.call.params, 'email_address'), stringParam(o.call.params, 'role') ?? '');
      if (created) o.call.reply(200, invitationResource(created[0]!, o.org));
    }),
  },
  {
    methods: ['POST'],
    path: '/v1/organizations/:id/invitations/bulk',
    handle: inOrganization(MANAGE_MEMBERS, (o) => {
      const created = invite(o, listParam(o.call.params, 'email_address'), stringParam(o.call.params, 'role') ?? '');
      if (created)
        o.call.reply(
          200,
          created.map((i) => invitationResource(i, o.org)),
        );
    }),
  },
  {
    methods: ['POST'],
    path: '/v1/organizations/:orgId/invitations/:invitationId/revoke',
    handle: inOrganization(MANAGE_MEMBERS, ({ call, org, params }) => {
      const invitation = org.invitations.find((i) => i.id === params.invitationId);
      if (!invitation) return call.fail(404, 'resource_not_found', 'Invitation not found.');
      if (invitation.status === 'pending') Object.assign(invitation, { status: 'revoked', updatedAt: Date.now() });
      call.reply(200, invitationResource(invitation, org));
    }),
  },
  ...['membership_requests', 'domains'].map((list): FapiRoute => ({
    methods: ['GET'],
    path: `/v1/organizations/:id/${list}`,
    handle: inOrganization(null, ({ call }) => page(call, [])),
  })),
];
