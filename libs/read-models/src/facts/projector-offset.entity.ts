import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The last bus offset applied per (topic, partition), written in the same transaction as the
 * facts of that batch, so the tables and the offsets can never disagree. It lives in the
 * read-model schema itself: a rebuild swaps it in together with the tables it describes.
 */
@Entity({ name: 'projector_offsets' })
export class ProjectorOffsetRow {
  @PrimaryColumn({ type: 'text' }) topic!: string;
  @PrimaryColumn({ type: 'integer' }) partition!: number;
  @Column({ name: 'offset', type: 'bigint' }) offset!: string;
  /** Store checkpoint of the batch's last event: where the lag is counted from. */
  @Column({ type: 'text', nullable: true }) checkpoint!: string | null;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
