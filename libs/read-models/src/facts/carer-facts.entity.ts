import { Column, Entity } from 'typeorm';
import { CarerFact, TextColumn } from './fact';

/** `CarerRegistered`, without the carer's personal name and phone. */
@Entity({ name: 'carers' })
export class CarerRow extends CarerFact {
  @TextColumn({ nullable: true }) schoolId!: string | null;
  @TextColumn() organisation!: string;
  @TextColumn() role!: string;
  @Column({ name: 'party_member', type: 'boolean' }) partyMember!: boolean;
}

/** `CarerRetired`: ends every active pairing of the carer. */
@Entity({ name: 'carer_retirements' })
export class CarerRetirementRow extends CarerFact {
}
