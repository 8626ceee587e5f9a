import { migrateReadModels, openReadModels } from '@lbc/read-models';
import { CARE_EVENTS_TOPIC, PROJECTOR_GROUP, loadStreamConfig, runStreamService, startProjector } from '@lbc/event-stream';
import { rebuildWithProgressBar } from './rebuild';

// The projector: Kafka topic `care-events` → read models in PostgreSQL (schema `read_models`).
// With the argument `rebuild` (`npm run rebuild`): replay the store into fresh read models instead.
async function main(): Promise<void> {
  if (process.argv[2] === 'rebuild') return rebuildWithProgressBar(loadStreamConfig(process.env, { kafka: false }));
  await runStreamService('projector', loadStreamConfig(process.env), async ({ config, store, bus, logger }) => {
    await migrateReadModels(config.databaseUrl);
    const readModels = await openReadModels(config.databaseUrl);
    const projector = await startProjector({ bus, readModels, topic: CARE_EVENTS_TOPIC, groupId: PROJECTOR_GROUP, store, logger });
    return {
      lag: projector.lag,
      stop: async () => {
        await projector.stop();
        await readModels.destroy();
      },
    };
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
