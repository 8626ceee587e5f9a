import { Column, PrimaryColumn } from 'typeorm';

/**
 * Every read-model row is one fact taken from one event: rows are only ever inserted, so
 * late events about earlier times simply join the history and the figures are computed at query
 * time "as of" a date (`occurred_at`) and "as recorded by" a moment (`recorded_at`).
 * `event_id` is the primary key of every fact table: applying an event twice inserts nothing.
 */
export abstract class Fact {
  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  /** Orders facts of one stream that occurred at the same instant. */
  @Column({ name: 'global_position', type: 'bigint' })
  globalPosition!: number;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: string;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: string;
}
