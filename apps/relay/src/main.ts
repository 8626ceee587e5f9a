import { exitOnStartFailure, loadConfig } from '@lbc/config';
import { CARE_EVENTS_TOPIC, runStreamService, startRelay } from '@lbc/event-stream';

// The relay: event store → Kafka topic `care-events`, without personal data.
// Loaded inside the chain: a configuration error ends like any failed start, in one line.
Promise.resolve()
  .then(() =>
    runStreamService('relay', loadConfig(process.env, 'relay'), ({ config, store, bus, logger }) =>
      startRelay({ store, bus, databaseUrl: config.DATABASE_URL, topic: CARE_EVENTS_TOPIC, logger }),
    ),
  )
  .catch(exitOnStartFailure('relay'));
