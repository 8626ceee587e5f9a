import { Column, Entity } from 'typeorm';
import { Fact } from './fact';

/** `CarerRegistered`, without the carer's personal name and phone. */
@Entity({ name: 'carers' })
export class CarerRow extends Fact {
  @Column({ name: 'carer_id', type: 'text' }) carerId!: string;
  @Column({ name: 'school_id', type: 'text', nullable: true }) schoolId!: string | null;
  @Column({ type: 'text' }) organisation!: string;
  @Column({ type: 'text' }) role!: string;
  @Column({ name: 'party_member', type: 'boolean' }) partyMember!: boolean;
}

/** `CarerRetired`: ends every active pairing of the carer. */
@Entity({ name: 'carer_retirements' })
export class CarerRetirementRow extends Fact {
  @Column({ name: 'carer_id', type: 'text' }) carerId!: string;
}
