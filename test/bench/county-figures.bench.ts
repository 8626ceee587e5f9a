// County figures on a large synthetic county, projected straight into the read models (no store,
// no bus): latency of `countyFigures` without and with `recordedBy`, and of a 12-month series.
// BENCH_FIGURES_SCHOOLS (default 170) × 300 children, BENCH_FIGURES_ACTIVITIES care activities each (default 12).
import type { FactRow, ProjectedEvent } from '@lbc/read-models';
import { countyFigures, countyFiguresSeries, factOf, migrateReadModels, openReadModels, writeFacts } from '@lbc/read-models';
import { syntheticCounty } from '@lbc/stream';
import { Client } from 'pg';
import type { Bench, BenchContext, BenchRow } from './bench';

const SCHOOLS = Number(process.env.BENCH_FIGURES_SCHOOLS ?? 170);
const ACTIVITIES = Number(process.env.BENCH_FIGURES_ACTIVITIES ?? 12);
const RUNS = Number(process.env.BENCH_FIGURES_RUNS ?? 20);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const MONTH_ENDS = ['2024-10-31', '2024-11-30', '2024-12-31', '2025-01-31', '2025-02-28', '2025-03-31', '2025-04-30', '2025-05-31', '2025-06-30', '2025-07-31', '2025-08-31', '2025-09-30'];

export const bench: Bench = {
  name: 'county-figures',
  async run(context: BenchContext): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    const url = await context.createDatabase('county_figures');
    await migrateReadModels(url);
    const readModels = await openReadModels(url);
    const streams = syntheticCounty({ schools: SCHOOLS, childrenPerSchool: 300, activitiesPerChild: ACTIVITIES, seed: 11 });
    // Recorded a minute after they occurred, one in fifty a month late; positions in recording order.
    const events = streams
      .flatMap((stream) => stream.events.map((event, i) => ({ stream, event, late: (i * 7919) % 50 === 0 })))
      .map(({ stream, event, late }) => ({
        eventId: event.eventId,
        type: event.type,
        streamId: stream.streamId,
        globalPosition: 0,
        occurredAt: event.occurredAt,
        recordedAt: new Date(Date.parse(event.occurredAt) + (late ? 30 * 86_400_000 : 60_000)).toISOString(),
        data: event.data as Record<string, unknown>,
        metadata: { schoolId: event.metadata.schoolId ?? null },
      }))
      .sort((a, b) => (a.recordedAt < b.recordedAt ? -1 : a.recordedAt > b.recordedAt ? 1 : 0))
      .map((event, i): ProjectedEvent => ({ ...event, globalPosition: i + 1 }));
    const children = streams.filter((stream) => stream.streamId.startsWith('child-')).length;
    context.log(`${children} children, ${events.length} events`);
    const loadStart = process.hrtime.bigint();
    for (let i = 0; i < events.length; i += 5000) {
      await writeFacts(readModels.manager, events.slice(i, i + 5000).map(factOf).filter((fact): fact is FactRow => fact !== null), 'fail');
    }
    context.log(`loaded in ${(Number(process.hrtime.bigint() - loadStart) / 1e9).toFixed(1)} s`);
    const admin = new Client({ connectionString: url });
    await admin.connect();
    await admin.query('VACUUM (ANALYZE)');
    await admin.end();

    const base = { countyId: 'county-synthetic', asOf: '2025-06-30', from: '2024-09-01', recordedBy: null, maxCarerLoad: 3 };
    const time = async (name: string, runs: number, what: () => Promise<unknown>) => {
      await what();
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const start = process.hrtime.bigint();
        await what();
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      times.sort((a, b) => a - b);
      rows.push({ bench: 'county-figures', case: `${name} p50`, value: percentile(times, 50), unit: 'ms', note: `${children} children, ${events.length} events` });
      rows.push({ bench: 'county-figures', case: `${name} p95`, value: percentile(times, 95), unit: 'ms' });
      context.log(`${name}: p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms`);
    };
    const figures = await countyFigures(readModels.manager, base);
    context.log(`county: ${figures.county.childrenInCare} children in care, ${figures.units.length} schools`);
    await time('county figures', RUNS, () => countyFigures(readModels.manager, base));
    await time('county figures, recordedBy', RUNS, () => countyFigures(readModels.manager, { ...base, recordedBy: '2025-05-15T00:00:00Z' }));
    await time('12-month series', Math.max(3, Math.floor(RUNS / 4)), () => countyFiguresSeries(readModels.manager, base, MONTH_ENDS));
    await readModels.destroy();
    return rows;
  },
};
