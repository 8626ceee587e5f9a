// County figures on a large synthetic county, projected straight into the read models (no store,
// no bus): latency of `countyFigures` without and with `recordedBy`, and of a 12-month series; and
// what keeping the derived states costs the projection (facts alone vs facts and derived states,
// in projector-sized batches of 500, one transaction each).
// BENCH_FIGURES_SCHOOLS (default 170) × 300 children, BENCH_FIGURES_ACTIVITIES care activities each (default 12).
import type { FactRow, ProjectedEvent } from '@lbc/read-models';
import type { DerivedStates } from '@lbc/read-models';
import { countyFigures, countyFiguresSeries, deriveAll, factOf, migrateReadModels, openReadModels, writeFacts } from '@lbc/read-models';
import { syntheticCounty } from '@lbc/event-stream/testing';
import { Client } from 'pg';
import type { Bench, BenchContext, BenchRow } from './bench';

const SCHOOLS = Number(process.env.BENCH_FIGURES_SCHOOLS ?? 170);
const ACTIVITIES = Number(process.env.BENCH_FIGURES_ACTIVITIES ?? 12);
const RUNS = Number(process.env.BENCH_FIGURES_RUNS ?? 20);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const MONTH_ENDS = [
  '2024-10-31',
  '2024-11-30',
  '2024-12-31',
  '2025-01-31',
  '2025-02-28',
  '2025-03-31',
  '2025-04-30',
  '2025-05-31',
  '2025-06-30',
  '2025-07-31',
  '2025-08-31',
  '2025-09-30',
];

export const bench: Bench = {
  name: 'county-figures',
  async run(context: BenchContext): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    const url = await context.createDatabase('county_figures');
    const projectionUrls = [await context.createDatabase('facts_only'), await context.createDatabase('facts_derived')];
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
    const facts = events.map(factOf).filter((fact): fact is FactRow => fact !== null);

    const sample = facts.slice(0, Number(process.env.BENCH_FIGURES_PROJECTED ?? 200_000));
    const rates: number[] = [];
    for (const [i, derived] of (['later', 'update'] as DerivedStates[]).entries()) {
      await migrateReadModels(projectionUrls[i]);
      const target = await openReadModels(projectionUrls[i]);
      const start = process.hrtime.bigint();
      for (let at = 0; at < sample.length; at += 500)
        await target.transaction((manager) => writeFacts(manager, sample.slice(at, at + 500), 'fail', derived));
      rates.push(sample.length / (Number(process.hrtime.bigint() - start) / 1e9));
      await target.destroy();
    }
    context.log(`projection: facts alone ${rates[0].toFixed(0)} facts/s, with derived states ${rates[1].toFixed(0)} facts/s`);
    rows.push({
      bench: 'county-figures',
      case: 'projection, facts alone',
      value: rates[0],
      unit: 'facts/s',
      note: `${sample.length} facts, batches of 500`,
    });
    rows.push({ bench: 'county-figures', case: 'projection, facts and derived states', value: rates[1], unit: 'facts/s' });
    rows.push({ bench: 'county-figures', case: 'projection with derived states / facts alone', value: rates[1] / rates[0], unit: '×' });

    const loadStart = process.hrtime.bigint();
    for (let i = 0; i < facts.length; i += 5000) await writeFacts(readModels.manager, facts.slice(i, i + 5000), 'fail', 'later');
    await readModels.transaction((manager) => deriveAll(manager));
    context.log(`loaded and derived in ${(Number(process.hrtime.bigint() - loadStart) / 1e9).toFixed(1)} s`);
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
      rows.push({
        bench: 'county-figures',
        case: `${name} p50`,
        value: percentile(times, 50),
        unit: 'ms',
        note: `${children} children, ${events.length} events`,
      });
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
