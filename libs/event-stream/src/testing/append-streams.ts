import type { EventStore } from '@lbc/event-store';
import type { SyntheticStream } from './synthetic-county';

/** Appends each stream whole, `concurrency` streams at a time. */
export async function appendStreams(store: EventStore, streams: readonly SyntheticStream[], concurrency = 8): Promise<number> {
  let index = 0;
  let appended = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (index < streams.length) {
        const stream = streams[index++];
        await store.append(stream.streamId, stream.events, 'no-stream');
        appended += stream.events.length;
      }
    }),
  );
  return appended;
}
