import { Column, Entity } from 'typeorm';
import { ChildChangeFact, ChildFact, TextColumn } from './fact';

/** `PairingStarted` (`change` = `started`, with carer and role) and `PairingEnded` (`ended`). */
@Entity({ name: 'pairing_changes' })
export class PairingChangeRow extends ChildChangeFact<'started' | 'ended'> {
  @TextColumn() pairingId!: string;
  @TextColumn({ nullable: true }) carerId!: string | null;
  @TextColumn({ nullable: true }) role!: string | null;
}

/** `CareActivityRecorded`, without its notes; `school_id` is the recording school. */
@Entity({ name: 'care_activities' })
export class CareActivityRow extends ChildFact {
  @TextColumn() activityId!: string;
  @TextColumn() kind!: string;
  @TextColumn({ nullable: true }) schoolId!: string | null;
  @TextColumn({ nullable: true }) carerId!: string | null;
  @Column({ type: 'integer', nullable: true }) minutes!: number | null;
  @Column({ name: 'amount_yuan', type: 'numeric', nullable: true }) amountYuan!: number | null;
  @TextColumn({ nullable: true }) homeId!: string | null;
}

/** `CareActivityVoided`: a voided activity never counts. */
@Entity({ name: 'care_activity_voids' })
export class CareActivityVoidRow extends ChildFact {
  @TextColumn() activityId!: string;
}

/** A fact of one incident of a child. */
abstract class IncidentFact extends ChildFact {
  @TextColumn() incidentId!: string;
}

/** `IncidentReported`, without its description. */
@Entity({ name: 'incidents' })
export class IncidentRow extends IncidentFact {
  @TextColumn() kind!: string;
  @TextColumn() severity!: string;
}

/** `IncidentPartyNotified`: `occurred_at` is the notification time. */
@Entity({ name: 'incident_notifications' })
export class IncidentNotificationRow extends IncidentFact {
  @TextColumn() party!: string;
}

/** `IncidentResolved`. */
@Entity({ name: 'incident_resolutions' })
export class IncidentResolutionRow extends IncidentFact {
  @TextColumn() outcome!: string;
}
