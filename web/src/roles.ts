// Which sections each role sees: the navigation follows the role. The server still decides every call;
// this only spares people links that would answer 403.
export const ROLES = ['scanner', 'sorter', 'supervisor', 'customs-officer', 'carrier', 'auditor', 'dpo', 'administrator'] as const;
export type Role = (typeof ROLES)[number];
export type Section = 'ops' | 'customs' | 'audit' | 'admin';

const SECTION_ROLES: Readonly<Record<Section, readonly Role[]>> = {
  // As docs/console-api.md admits them.
  ops: ['scanner', 'sorter', 'supervisor', 'administrator', 'auditor'],
  customs: ['customs-officer'],
  audit: ['auditor', 'dpo'],
  admin: ['administrator'],
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function rolesFor(section: Section): readonly Role[] {
  return SECTION_ROLES[section];
}

export function canOpen(role: Role, section: Section): boolean {
  return SECTION_ROLES[section].includes(role);
}

/** The sections in navigation order. */
export function sectionsFor(role: Role): Section[] {
  return (['ops', 'customs', 'audit', 'admin'] as const).filter((s) => canOpen(role, s));
}

/** Where a principal lands after sign-in: the section of their main job. */
export function homeFor(role: Role): string {
  const main: Readonly<Record<Role, string>> = {
    scanner: '/ops',
    sorter: '/ops',
    supervisor: '/ops',
    'customs-officer': '/customs',
    carrier: '/me',
    auditor: '/audit',
    dpo: '/audit',
    administrator: '/admin',
  };
  return main[role];
}
