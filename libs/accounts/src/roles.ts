/** The roles of API.md. A school role is bound to one school, a county role to one county. */
export const ROLES = [
  'school_staff',
  'school_admin',
  'county_education',
  'county_youth_league',
  'auditor',
  'platform_admin',
] as const;

export type Role = (typeof ROLES)[number];

export const SCHOOL_ROLES: readonly Role[] = ['school_staff', 'school_admin'];

export function isSchoolRole(role: Role): boolean {
  return SCHOOL_ROLES.includes(role);
}

/** Roles that never receive personal data from any endpoint. */
export function seesPersonalData(role: Role): boolean {
  return isSchoolRole(role) || role === 'platform_admin';
}
