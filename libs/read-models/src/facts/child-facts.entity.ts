import { Column, Entity } from 'typeorm';
import { Fact } from './fact';

/**
 * `ChildRegistered`. Personal data never comes here: `personal_fields` lists which personal
 * fields were present (paths such as `guardian.phone`), which is all archive completeness needs.
 */
@Entity({ name: 'child_registrations' })
export class ChildRegistrationRow extends Fact {
  @Column({ name: 'child_id', type: 'text' }) childId!: string;
  @Column({ name: 'school_id', type: 'text' }) schoolId!: string;
  @Column({ type: 'integer' }) grade!: number;
  /** Null only in rows projected before the column existed. */
  @Column({ name: 'class_name', type: 'text', nullable: true }) className!: string | null;
  @Column({ type: 'text' }) category!: string;
  @Column({ name: 'parents_away', type: 'text' }) parentsAway!: string;
  @Column({ name: 'guardian_type', type: 'text' }) guardianType!: string;
  @Column({ name: 'personal_fields', type: 'text', array: true }) personalFields!: string[];
}

/** `ArchiveUpdated`: only the fields given change. */
@Entity({ name: 'archive_updates' })
export class ArchiveUpdateRow extends Fact {
  @Column({ name: 'child_id', type: 'text' }) childId!: string;
  @Column({ type: 'integer', nullable: true }) grade!: number | null;
  @Column({ name: 'class_name', type: 'text', nullable: true }) className!: string | null;
  @Column({ name: 'parents_away', type: 'text', nullable: true }) parentsAway!: string | null;
  @Column({ name: 'personal_fields', type: 'text', array: true }) personalFields!: string[];
}

/** `GuardianshipChanged`. */
@Entity({ name: 'guardianship_changes' })
export class GuardianshipChangeRow extends Fact {
  @Column({ name: 'child_id', type: 'text' }) childId!: string;
  @Column({ name: 'guardian_type', type: 'text' }) guardianType!: string;
  @Column({ name: 'personal_fields', type: 'text', array: true }) personalFields!: string[];
}

/** `EnrollmentChanged`; `school_id` is the school recording the change. */
@Entity({ name: 'enrollment_changes' })
export class EnrollmentChangeRow extends Fact {
  @Column({ name: 'child_id', type: 'text' }) childId!: string;
  @Column({ type: 'text' }) change!: string;
  @Column({ name: 'school_id', type: 'text' }) schoolId!: string;
  @Column({ name: 'other_school_id', type: 'text', nullable: true }) otherSchoolId!: string | null;
}

/** `LeftBehindStatusEnded` (`change` = `ended`) and `LeftBehindStatusResumed` (`resumed`). */
@Entity({ name: 'left_behind_status_changes' })
export class LeftBehindStatusChangeRow extends Fact {
  @Column({ name: 'child_id', type: 'text' }) childId!: string;
  @Column({ type: 'text' }) change!: 'ended' | 'resumed';
  @Column({ type: 'text', nullable: true }) reason!: string | null;
  @Column({ name: 'parents_away', type: 'text', nullable: true }) parentsAway!: string | null;
}

/** `RiskFlagged` (`change` = `flagged`) and `RiskCleared` (`cleared`). */
@Entity({ name: 'risk_flag_changes' })
export class RiskFlagChangeRow extends Fact {
  @Column({ name: 'child_id', type: 'text' }) childId!: string;
  @Column({ type: 'text' }) flag!: string;
  @Column({ type: 'text' }) change!: 'flagged' | 'cleared';
}
