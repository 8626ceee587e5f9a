import { Column, Entity } from 'typeorm';
import { SchoolFact, TextColumn } from './fact';

/** `SchoolRegistered`: a county or township scope contains every school registered in it. */
@Entity({ name: 'schools' })
export class SchoolRow extends SchoolFact {
  @TextColumn() name!: string;
  @TextColumn() countyId!: string;
  @TextColumn() countyName!: string;
  @TextColumn() townshipId!: string;
  @TextColumn() townshipName!: string;
  @TextColumn() level!: string;
  @Column({ type: 'boolean' }) boarding!: boolean;
}

/** `EnrollmentReported`: the `pupils` denominator. */
@Entity({ name: 'enrollment_reports' })
export class EnrollmentReportRow extends SchoolFact {
  @TextColumn() term!: string;
  @Column({ name: 'total_pupils', type: 'integer' }) totalPupils!: number;
}

/** `CareHomeOpened` (留守儿童之家). */
@Entity({ name: 'care_homes' })
export class CareHomeRow extends SchoolFact {
  @TextColumn() homeId!: string;
  @TextColumn() name!: string;
  @Column({ type: 'text', array: true }) facilities!: string[];
}

/** `CareHomeActivityHeld`. */
@Entity({ name: 'care_home_activities' })
export class CareHomeActivityRow extends SchoolFact {
  @TextColumn() homeId!: string;
  @Column({ type: 'integer' }) participants!: number;
}
