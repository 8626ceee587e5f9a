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

/** A text column named after its property in snake case (`schoolId` → `school_id`), as every fact table names them. */
export function TextColumn(options: { nullable?: boolean } = {}): PropertyDecorator {
  return (target, property) => {
    const name = String(property).replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
    Column({ name, type: 'text', nullable: options.nullable ?? false })(target, property);
  };
}

/** A fact of a child's stream, keyed by the child for the per-child reads. */
export abstract class ChildFact extends Fact {
  @TextColumn() childId!: string;
}

/** A fact of a child's stream that changes one thing one way or another: `change` says which way. */
export abstract class ChildChangeFact<Change extends string> extends ChildFact {
  @TextColumn() change!: Change;
}

/** A fact of a school's stream. */
export abstract class SchoolFact extends Fact {
  @TextColumn() schoolId!: string;
}

/** A fact of a carer's stream. */
export abstract class CarerFact extends Fact {
  @TextColumn() carerId!: string;
}
