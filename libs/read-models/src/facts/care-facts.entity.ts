import { Column, Entity } from 'typeorm';
import { Fact } from './fact';

/** `PairingStarted` (`change` = `started`, with carer and role) and `PairingEnded` (`ended`). */
@Entity({ name: 'pairing_changes' })
export class PairingChangeRow extends Fact {
  @Column({ name: 'child_id', type: 'text' }) childId!: string;
  @Column({ name: 'pairing_id', type: 'text' }) pairingId!: string;
  @Column({ type: 'text' }) change!: 'started' | 'ended';
  @Column({ name: 'carer_id', type: 'text', nullable: true }) carerId!: string | null;
  @Column({ type: 'text', nullable: true }) role!: string | null;
}

/** `CareActivityRecorded`, without its notes; `school_id` is the recording school. */
@Entity({ name: 'care_activities' })
export class CareActivityRow extends Fact {
  @Column({ name: 'child_id', type: 'text' }) childId!: string;
  @Column({ name: 'activity_id', type: 'text' }) activityId!: string;
  @Column({ type: 'text' }) kind!: string;
  @Column({ name: 'school_id', type: 'text', nullable: true }) schoolId!: string | null;
  @Column({ name: 'carer_id', type: 'text', nullable: true }) carerId!: string | null;
  @Column({ type: 'integer', nullable: true }) minutes!: number | null;
  @Column({ name: 'amount_yuan', type: 'numeric', nullable: true }) amountYuan!: number | null;
  @Column({ name: 'home_id', type: 'text', nullable: true }) homeId!: string | null;
}

/** `CareActivityVoided`: a voided activity never counts. */
@Entity({ name: 'care_activity_voids' })
export class CareActivityVoidRow extends Fact {
  @Column({ name: 'child_id', type: 'text' }) childId!: string;
  @Column({ name: 'activity_id', type: 'text' }) activityId!: string;
}

/** `IncidentReported`, without its description. */
@Entity({ name: 'incidents' })
export class IncidentRow extends Fact {
  @Column({ name: 'child_id', type: 'text' }) childId!: string;
  @Column({ name: 'incident_id', type: 'text' }) incidentId!: string;
  @Column({ type: 'text' }) kind!: string;
  @Column({ type: 'text' }) severity!: string;
}

/** `IncidentPartyNotified`: `occurred_at` is the notification time. */
@Entity({ name: 'incident_notifications' })
export class IncidentNotificationRow extends Fact {
  @Column({ name: 'child_id', type: 'text' }) childId!: string;
  @Column({ name: 'incident_id', type: 'text' }) incidentId!: string;
  @Column({ type: 'text' }) party!: string;
}

/** `IncidentResolved`. */
@Entity({ name: 'incident_resolutions' })
export class IncidentResolutionRow extends Fact {
  @Column({ name: 'child_id', type: 'text' }) childId!: string;
  @Column({ name: 'incident_id', type: 'text' }) incidentId!: string;
  @Column({ type: 'text' }) outcome!: string;
}
