/** The enumerations of DOMAIN.md and INTERCHANGE.md, spelt as they are sent. */

export const CHILD_CATEGORIES = ['left-behind', 'orphan', 'abandoned', 'single-parent', 'in-difficulty'] as const;
export type ChildCategory = (typeof CHILD_CATEGORIES)[number];

export const PARENTS_AWAY = ['father', 'mother', 'both', 'none'] as const;
export type ParentsAway = (typeof PARENTS_AWAY)[number];

export const PARENT_RELATIONS = ['father', 'mother'] as const;

export const GUARDIAN_TYPES = ['grandparent', 'relative', 'entrusted', 'parent-at-home', 'none'] as const;
export type GuardianType = (typeof GUARDIAN_TYPES)[number];

export const GENDERS = ['female', 'male'] as const;
export type Gender = (typeof GENDERS)[number];

export const RISK_FLAGS = ['academic', 'psychological', 'behavioural', 'health', 'safety', 'poverty'] as const;
export type RiskFlag = (typeof RISK_FLAGS)[number];

export const CARER_ROLES = ['head-teacher', 'subject-teacher', 'party-member-teacher', 'proxy-parent', 'love-mother', 'volunteer', 'peer-student', 'cadre'] as const;
export type CarerRole = (typeof CARER_ROLES)[number];

export const CARER_ORGANISATIONS = ['school', 'youth-league', 'womens-federation', 'care-committee', 'village', 'other'] as const;
export type CarerOrganisation = (typeof CARER_ORGANISATIONS)[number];

export const ACTIVITY_KINDS = ['talk', 'home-visit', 'family-call', 'video-call', 'guardian-contact', 'counselling', 'tutoring', 'health-check', 'aid', 'group-activity', 'safety-education', 'legal-aid', 'parent-meeting'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export const INCIDENT_KINDS = ['injury', 'illness', 'missing', 'bullying', 'abuse', 'accident', 'other'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

export const INCIDENT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];

export const INCIDENT_PARTIES = ['guardian', 'parents', 'education-bureau', 'township-government'] as const;
export type IncidentParty = (typeof INCIDENT_PARTIES)[number];

/** Minutes after the incident's `occurredAt` within which each party must be told (应急机制). */
export const NOTIFICATION_DEADLINE_MINUTES: Readonly<Record<IncidentParty, number>> = {
  guardian: 30,
  parents: 60,
  'education-bureau': 120,
  'township-government': 120,
};

export const ENROLLMENT_CHANGES = ['transferred-out', 'transferred-in', 'dropped-out', 'returned', 'graduated', 'promoted'] as const;
export type EnrollmentChange = (typeof ENROLLMENT_CHANGES)[number];

export const LEFT_BEHIND_END_REASONS = ['parents-returned', 'parent-nearby', 'moved-with-parents', 'aged-out'] as const;

export const SCHOOL_LEVELS = ['primary', 'junior-secondary', 'nine-year', 'senior-secondary'] as const;
export type SchoolLevel = (typeof SCHOOL_LEVELS)[number];

/** The "six ones" (六个一) of a care home. */
export const CARE_HOME_FACILITIES = ['computer', 'tv', 'player', 'family-phone', 'books', 'sports-kit'] as const;
export type CareHomeFacility = (typeof CARE_HOME_FACILITIES)[number];
