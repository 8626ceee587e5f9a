import { CARE_EVENTS_TOPIC, loadStreamConfig, runStreamService, startRelay } from '@lbc/event-stream';

// The relay: event store → Kafka topic `care-events`, without personal data.
runStreamService('relay', loadStreamConfig(process.env), ({ config, store, bus, logger }) =>
  startRelay({ store, bus, databaseUrl: config.databaseUrl, topic: CARE_EVENTS_TOPIC, logger }),
).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
