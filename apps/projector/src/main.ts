import { migrateReadModels, openReadModels } from '@lbc/read-models';
import { exitOnStartFailure, loadConfig } from '@lbc/config';
import { CARE_EVENTS_TOPIC, PROJECTOR_GROUP, runStreamService, startProjector } from '@lbc/event-stream';
import { rebuildWithProgressBar } from './rebuild';

// The projector: Kafka topic `care-events` → read models in PostgreSQL (schema `read_models`).
// With the argument `rebuild` (`npm run rebuild`): replay the store into fresh read models instead.
async function main(): Promise<void> {
  if (process.argv[2] === 'rebuild') return rebuildWithProgressBar(loadConfig(process.env, 'rebuild'));
  await runStreamService('projector', loadConfig(process.env, 'projector'), async ({ config, store, bus, logger }) => {
    await migrateReadModels(config.DATABASE_URL);
    const readModels = await openReadModels(config.DATABASE_URL);
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

main().catch(exitOnStartFailure(process.argv[2] === 'rebuild' ? 'rebuild' : 'projector'));
