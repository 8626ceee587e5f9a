import type { RecordedEvent } from '@lbc/event-store';
import type { BusMessage } from '@lbc/messaging';
import { subjectIdOf } from '@lbc/read-models';

/**
 * The bus message of a stored event: keyed by its subject (one child's events keep their order),
 * the envelope as JSON without `data.personal` (personal data never reaches the bus; the paths
 * in `data.personalFields` stay), and the store checkpoint in a header for the consumers' lag.
 * `hash` and `prevHash` stay behind too: they cover the sealed personal data, so no consumer of
 * the bus could check them (auditors verify the chain in the store), and they were a fifth of
 * every message for the projector to parse.
 */
export function toBusMessage(event: RecordedEvent): BusMessage {
  const { personal: _sealed, ...data } = event.data;
  const { hash: _hash, prevHash: _prevHash, ...envelope } = event;
  return {
    key: subjectIdOf(event.streamId),
    value: Buffer.from(JSON.stringify({ ...envelope, data })),
    headers: {
      type: event.type,
      eventId: event.eventId,
      schemaVersion: String(event.schemaVersion),
      checkpoint: event.checkpoint,
    },
  };
}
