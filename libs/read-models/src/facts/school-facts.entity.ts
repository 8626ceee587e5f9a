import { Column, Entity } from 'typeorm';
import { Fact } from './fact';

/** `SchoolRegistered`: a county or township scope contains every school registered in it. */
@Entity({ name: 'schools' })
export class SchoolRow extends Fact {
  @Column({ name: 'school_id', type: 'text' }) schoolId!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ name: 'county_id', type: 'text' }) countyId!: string;
  @Column({ name: 'county_name', type: 'text' }) countyName!: string;
  @Column({ name: 'township_id', type: 'text' }) townshipId!: string;
  @Column({ name: 'township_name', type: 'text' }) townshipName!: string;
  @Column({ type: 'text' }) level!: string;
  @Column({ type: 'boolean' }) boarding!: boolean;
}

/** `EnrollmentReported`: the `pupils` denominator. */
@Entity({ name: 'enrollment_reports' })
export class EnrollmentReportRow extends Fact {
  @Column({ name: 'school_id', type: 'text' }) schoolId!: string;
  @Column({ type: 'text' }) term!: string;
  @Column({ name: 'total_pupils', type: 'integer' }) totalPupils!: number;
}

/** `CareHomeOpened` (留守儿童之家). */
@Entity({ name: 'care_homes' })
export class CareHomeRow extends Fact {
  @Column({ name: 'school_id', type: 'text' }) schoolId!: string;
  @Column({ name: 'home_id', type: 'text' }) homeId!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text', array: true }) facilities!: string[];
}

/** `CareHomeActivityHeld`. */
@Entity({ name: 'care_home_activities' })
export class CareHomeActivityRow extends Fact {
  @Column({ name: 'school_id', type: 'text' }) schoolId!: string;
  @Column({ name: 'home_id', type: 'text' }) homeId!: string;
  @Column({ type: 'integer' }) participants!: number;
}
