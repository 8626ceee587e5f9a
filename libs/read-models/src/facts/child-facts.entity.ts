import { Column, Entity } from 'typeorm';
import { ChildChangeFact, ChildFact, TextColumn } from './fact';

/**
 * `ChildRegistered`. Personal data never comes here: `personal_fields` lists which personal
 * fields were present (paths such as `guardian.phone`), which is all archive completeness needs.
 */
@Entity({ name: 'child_registrations' })
export class ChildRegistrationRow extends ChildFact {
  @TextColumn() schoolId!: string;
  @Column({ type: 'integer' }) grade!: number;
  /** Null only in rows projected before the column existed. */
  @TextColumn({ nullable: true }) className!: string | null;
  @TextColumn() category!: string;
  @TextColumn() parentsAway!: string;
  @TextColumn() guardianType!: string;
  @Column({ name: 'personal_fields', type: 'text', array: true }) personalFields!: string[];
}

/** `ArchiveUpdated`: only the fields given change. */
@Entity({ name: 'archive_updates' })
export class ArchiveUpdateRow extends ChildFact {
  @Column({ type: 'integer', nullable: true }) grade!: number | null;
  @TextColumn({ nullable: true }) className!: string | null;
  @TextColumn({ nullable: true }) parentsAway!: string | null;
  @Column({ name: 'personal_fields', type: 'text', array: true }) personalFields!: string[];
}

/** `GuardianshipChanged`. */
@Entity({ name: 'guardianship_changes' })
export class GuardianshipChangeRow extends ChildFact {
  @TextColumn() guardianType!: string;
  @Column({ name: 'personal_fields', type: 'text', array: true }) personalFields!: string[];
}

/** `EnrollmentChanged`; `school_id` is the school recording the change. */
@Entity({ name: 'enrollment_changes' })
export class EnrollmentChangeRow extends ChildChangeFact<string> {
  @TextColumn() schoolId!: string;
  @TextColumn({ nullable: true }) otherSchoolId!: string | null;
}

/** `LeftBehindStatusEnded` (`change` = `ended`) and `LeftBehindStatusResumed` (`resumed`). */
@Entity({ name: 'left_behind_status_changes' })
export class LeftBehindStatusChangeRow extends ChildChangeFact<'ended' | 'resumed'> {
  @TextColumn({ nullable: true }) reason!: string | null;
  @TextColumn({ nullable: true }) parentsAway!: string | null;
}

/** `RiskFlagged` (`change` = `flagged`) and `RiskCleared` (`cleared`). */
@Entity({ name: 'risk_flag_changes' })
export class RiskFlagChangeRow extends ChildChangeFact<'flagged' | 'cleared'> {
  @TextColumn() flag!: string;
}
