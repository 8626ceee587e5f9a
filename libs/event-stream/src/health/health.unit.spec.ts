import { checkHealth } from './health';

const never = () => new Promise<never>(() => undefined);

describe('checkHealth', () => {
  it('given every dependency answering, when checked, then ok with the lag', async () => {
    const health = await checkHealth({ component: 'projector', dependencies: { database: async () => 1, kafka: async () => undefined }, lag: async () => 7 });
    expect(health).toEqual({ status: 'ok', component: 'projector', dependencies: { database: 'up', kafka: 'up' }, lag: 7 });
  });

  it('given a dependency that throws at once and one that never answers, when checked, then unavailable naming both, in time', async () => {
    const started = Date.now();
    const health = await checkHealth(
      {
        component: 'relay',
        dependencies: {
          database: () => {
            throw new Error('connection refused');
          },
          eventStore: async () => 1,
          kafka: never,
        },
        lag: never,
      },
      50,
    );
    expect(health).toEqual({ status: 'unavailable', component: 'relay', dependencies: { database: 'down', eventStore: 'up', kafka: 'down' }, lag: null });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('given no projector in the process, when checked, then no lag is reported', async () => {
    expect(await checkHealth({ component: 'ingest', dependencies: {} })).toEqual({ status: 'ok', component: 'ingest', dependencies: {} });
  });
});
