/**
 * Clerk's default organization roles, as the stand-in's instance defines them: their names, what each may
 * do (Clerk's UI shows pages and buttons by these permissions), and the role resource <OrganizationProfile/>
 * lists.
 */

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

/** The roles a member can have. */
export const ROLES: Record<string, { name: string; description: string }> = {
  'org:admin': { name: 'Admin', description: 'Manages the organization, its members and invitations.' },
  'org:member': { name: 'Member', description: 'Reads with the organization; sees its members.' },
};

const PERMISSION_NAMES: Record<string, string> = {
  'org:sys_profile:manage': 'Manage organization',
  'org:sys_profile:delete': 'Delete organization',
  'org:sys_memberships:read': 'Read members',
  'org:sys_memberships:manage': 'Manage members',
  'org:sys_domains:read': 'Read domains',
  'org:sys_domains:manage': 'Manage domains',
};

export const roleName = (role: string) => ROLES[role]?.name ?? role.replace(/^org:/, '');

/** A role as <OrganizationProfile/> lists it, with its permissions. */
export function roleResource(key: string, createdAt: number) {
  return {
    object: 'role',
    id: `role_${key.replace(/^org:/, '')}`,
    key,
    name: roleName(key),
    description: ROLES[key]?.description ?? '',
    permissions: (ROLE_PERMISSIONS[key] ?? []).map((permission) => ({
      object: 'permission',
      id: `perm_${permission.replace(/\W+/g, '_')}`,
      key: permission,
      name: PERMISSION_NAMES[permission] ?? permission,
      description: '',
      type: 'system',
      created_at: createdAt,
      updated_at: createdAt,
    })),
    created_at: createdAt,
    updated_at: createdAt,
  };
}
