import { setImmediate } from 'node:timers/promises';
import type { OnModuleDestroy } from '@nestjs/common';
import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Config } from '@lbc/config';
import type { Refusal } from '@lbc/domain';
import { parseSubmittedEvent } from '@lbc/domain';
import type { Session } from '@lbc/http';
import { CLOCK, CONFIG, mapLimit, Problem } from '@lbc/http';
import type { Submission } from '../events/record-events.command';
import { RecordEventsCommand } from '../events/record-events.command';
import { SubjectStreams } from '../events/subject-streams';
import { uuidV5 } from '../util/uuid-v5';
import type { RosterColumn } from './roster-columns';
import { columnOfHeader, IGNORED_HEADERS, REQUIRED_COLUMNS, ROSTER_COLUMNS } from './roster-columns';
import type { RosterLimits } from './roster-limits';
import type { RosterRowError } from './roster-row';
import { ageOf, awaySinceOf, birthMonthOf, badCharacterOf, categoryOf, genderOf, gradeOf, guardianTypeOf, parentsAwayOf } from './roster-row';
import { readRosterTable } from './roster-table';

/** Namespace of roster ids: the same school and pupil always give the same childId and eventId. */
const ROSTER_IDS = '3f0e6c52-9b1d-5a8e-8c0f-2d4b7a61e9c3';
const CHUNK = 250;
/** Rows planned between two turns of the event loop: a few milliseconds of work. */
const ROWS_PER_TURN = 250;
const LOAD_CONCURRENCY = 16;

interface PlannedRow {
  readonly row: number;
  readonly childId: string;
  readonly submission: Submission;
  readonly columnOfPath: (path: string) => string | null;
}

export interface RosterReport {
  readonly rows: number;
  /** Rows that would be (or were) registered. */
  readonly registered: number;
  /** Rows whose child is already registered from an earlier import: nothing is written for them. */
  readonly existing: number;
  readonly errors: RosterRowError[];
}

export interface RosterProgress extends RosterReport {
  readonly phase: 'progress' | 'done';
  readonly done: number;
}

/**
 * Class roster (花名册) import: each row becomes a `ChildRegistered` with ids derived from the
 * school and the pupil (学籍号, else name + birth month + grade + class), so a re-import writes
 * nothing new. Every row is parsed and decided (as a dry run: nothing sealed, nothing appended)
 * before anything is written; the real run writes only when no row has an error, in chunks,
 * reporting progress. The file is read as a stream and the work gives the event loop a turn every
 * few milliseconds, so other requests (and `/health`) are answered during a long import, and a
 * shutdown ends the import at its next turn.
 */
@Injectable()
export class RosterImporter implements OnModuleDestroy {
  private readonly limits: RosterLimits;
  private readonly stopping = new AbortController();

  constructor(
    private readonly commandBus: CommandBus,
    private readonly streams: SubjectStreams,
    @Inject(CONFIG) config: Config,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {
    this.limits = { maxRows: config.ROSTER_MAX_ROWS, maxUncompressedBytes: config.ROSTER_MAX_UNCOMPRESSED_BYTES };
  }

  onModuleDestroy(): void {
    this.stopping.abort();
  }

  /** Every row checked as the import would record it now; `fresh` are the rows it would register. */
  async check(schoolId: string, bytes: Buffer, actor: Session, correlationId: string): Promise<{ report: RosterReport; fresh: PlannedRow[] }> {
    const { rows, errors, total } = await this.plan(schoolId, bytes, this.clock().toISOString());
    const fresh: PlannedRow[] = [];
    let rejected = 0;
    for (let start = 0; start < rows.length; start += CHUNK) {
      const chunk = rows.slice(start, start + CHUNK);
      const unregistered = new Set<PlannedRow>();
      await mapLimit(chunk, LOAD_CONCURRENCY, async (row) => {
        if ((await this.streams.load('child', row.childId)).state.status === 'unregistered') unregistered.add(row);
      });
      const candidates = chunk.filter((row) => unregistered.has(row));
      const results = candidates.length === 0 ? [] : await this.commandBus.execute(new RecordEventsCommand(candidates.map((row) => row.submission), actor, { atomic: false, dryRun: true, correlationId }));
      results.forEach((result, i) => {
        if (result.status !== 'rejected') return void fresh.push(candidates[i]);
        rejected++;
        errors.push(errorOfRefusal(candidates[i], { code: result.reason as Refusal['code'], field: result.field ?? '', message: result.message ?? '' }));
      });
      await this.nextTurn();
    }
    errors.sort((a, b) => a.row - b.row);
    return { report: { rows: total, registered: fresh.length, existing: rows.length - fresh.length - rejected, errors }, fresh };
  }

  /** Writes the checked rows; yields progress after each chunk and a last `done`. */
  async *write(fresh: readonly PlannedRow[], report: RosterReport, actor: Session, correlationId: string): AsyncGenerator<RosterProgress> {
    const errors: RosterRowError[] = [];
    let registered = 0;
    for (let start = 0; start < fresh.length; start += CHUNK) {
      await this.nextTurn();
      const chunk = fresh.slice(start, start + CHUNK);
      const results = await this.commandBus.execute(new RecordEventsCommand(chunk.map((row) => row.submission), actor, { atomic: false, correlationId }));
      results.forEach((result, i) => {
        if (result.status === 'rejected') errors.push(errorOfRefusal(chunk[i], { code: result.reason as Refusal['code'], field: result.field ?? '', message: result.message ?? '' }));
        else registered++;
      });
      yield { ...report, phase: 'progress', done: start + chunk.length, registered, errors };
    }
    yield { ...report, phase: 'done', done: fresh.length, registered, errors };
  }

  /** Lets the event loop serve what waits (timers, sockets, signals); refuses to go on once the app is closing. */
  private async nextTurn(): Promise<void> {
    await setImmediate();
    if (this.stopping.signal.aborted) throw new Problem(503, 'shutting-down', 'The server is shutting down; send the roster again (the import is idempotent)');
  }

  private async plan(schoolId: string, bytes: Buffer, occurredAt: string): Promise<{ rows: PlannedRow[]; errors: RosterRowError[]; total: number }> {
    const table = await readRosterTable(bytes, this.limits);
    const errors: RosterRowError[] = [];
    const indexOf = new Map<RosterColumn, number>();
    const headerAt = (index: number | undefined) => (index === undefined ? undefined : table.headers[index]);
    table.headers.forEach((header, index) => {
      if (header === '' || IGNORED_HEADERS.includes(header)) return;
      const column = columnOfHeader(header);
      if (!column) errors.push({ row: 1, column: header, code: 'unknown-column', message: `unknown column ${header} (see the roster mapping in the API docs)` });
      else if (indexOf.has(column)) errors.push({ row: 1, column: header, code: 'duplicate-column', message: `${header} repeats ${headerAt(indexOf.get(column))}` });
      else indexOf.set(column, index);
    });
    for (const column of REQUIRED_COLUMNS) {
      if (!indexOf.has(column)) errors.push({ row: 1, column: ROSTER_COLUMNS[column][0], code: 'missing-column', message: `the roster needs a column ${ROSTER_COLUMNS[column].join(' / ')}` });
    }
    let total = 0;
    if (errors.length > 0) {
      for await (const _ of table.rows) if (++total % ROWS_PER_TURN === 0) await this.nextTurn();
      return { rows: [], errors, total };
    }
    const headerOf = (column: RosterColumn) => headerAt(indexOf.get(column)) ?? ROSTER_COLUMNS[column][0];

    const rows: PlannedRow[] = [];
    const seen = new Map<string, number>();
    for await (const { rowNumber, cells: values } of table.rows) {
      if (++total % ROWS_PER_TURN === 0) await this.nextTurn();
      // A NUL or a broken character cannot be stored (PostgreSQL refuses \u0000 in JSON): refused here, where row and column are known.
      const badCells = values.flatMap((value, index) => {
        const bad = badCharacterOf(value);
        return bad ? [{ row: rowNumber, column: table.headers[index] || null, code: 'invalid-character', message: bad }] : [];
      });
      if (badCells.length > 0) {
        errors.push(...badCells);
        continue;
      }
      const cells: Partial<Record<RosterColumn, string>> = {};
      for (const [column, index] of indexOf) if (values[index]) cells[column] = values[index];
      const rowErrors: RosterRowError[] = [];
      const get = (converted: { value: unknown } | { error: { column: RosterColumn; code: string; message: string } }): unknown => {
        if ('value' in converted) return converted.value;
        rowErrors.push({ row: rowNumber, column: headerOf(converted.error.column), code: converted.error.code, message: converted.error.message });
        return undefined;
      };
      for (const column of REQUIRED_COLUMNS) {
        if (!cells[column]) rowErrors.push({ row: rowNumber, column: headerOf(column), code: 'missing-value', message: `${headerOf(column)} is empty` });
      }
      if (rowErrors.length > 0) {
        errors.push(...rowErrors);
        continue;
      }
      const category = get(categoryOf(cells.category)) as string;
      const parentOf = (relation: 'father' | 'mother') => {
        const [name, phone, workCity, employer] = (['Name', 'Phone', 'WorkCity', 'Employer'] as const).map((part) => cells[`${relation}${part}` as RosterColumn]);
        return name || phone || workCity || employer ? { relation, ...defined({ name, phone, workCity, employer }) } : null;
      };
      const parents = [parentOf('father'), parentOf('mother')].filter((p) => p !== null);
      const guardian = cells.guardianName
        ? defined({
            name: cells.guardianName,
            relation: cells.guardianRelation,
            phone: cells.guardianPhone,
            age: cells.guardianAge ? get(ageOf(cells.guardianAge)) : undefined,
            health: cells.guardianHealth,
            education: cells.guardianEducation,
          })
        : undefined;
      const data = {
        schoolId,
        grade: get(gradeOf(cells.grade ?? '')),
        className: cells.className,
        gender: get(genderOf(cells.gender ?? '')),
        birthMonth: get(birthMonthOf(cells.birthMonth ?? '')),
        category,
        parentsAway: get(parentsAwayOf(cells, category)),
        ...(cells.awaySince ? { awaySince: get(awaySinceOf(cells.awaySince)) } : {}),
        guardianType: get(guardianTypeOf(cells)),
        personal: defined({
          name: cells.name,
          homeAddress: cells.homeAddress,
          guardian,
          parents: parents.length > 0 ? parents : undefined,
          personality: cells.personality,
          interests: cells.interests,
        }),
      };
      if (rowErrors.length > 0) {
        errors.push(...rowErrors);
        continue;
      }
      const identity = cells.studentNumber ? `学籍号:${cells.studentNumber}` : `${cells.name}|${data.birthMonth}|${data.grade}|${cells.className}`;
      const childId = uuidV5(`${schoolId}|${identity}`, ROSTER_IDS);
      if (seen.has(childId)) {
        const column = cells.studentNumber ? headerOf('studentNumber') : headerOf('name');
        errors.push({ row: rowNumber, column, code: 'duplicate-row', message: `the same pupil as row ${seen.get(childId)}` });
        continue;
      }
      seen.set(childId, rowNumber);
      const eventId = uuidV5(`${childId}|ChildRegistered`, ROSTER_IDS);
      const parsed = parseSubmittedEvent({ eventId, type: 'ChildRegistered', childId, occurredAt, data });
      const planned: PlannedRow = { row: rowNumber, childId, submission: { eventId, parsed }, columnOfPath: (path) => columnOfPath(path, parents, headerOf) };
      if (!parsed.ok) errors.push(errorOfRefusal(planned, parsed.refusal));
      else rows.push(planned);
    }
    return { rows, errors, total };
  }
}

function defined<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined && value !== '')) as Partial<T>;
}

const COLUMN_OF_PATH: Readonly<Record<string, RosterColumn>> = {
  'data.grade': 'grade',
  'data.className': 'className',
  'data.gender': 'gender',
  'data.birthMonth': 'birthMonth',
  'data.category': 'category',
  'data.parentsAway': 'parentsAway',
  'data.awaySince': 'awaySince',
  'data.guardianType': 'guardianType',
  'data.personal.name': 'name',
  'data.personal.homeAddress': 'homeAddress',
  'data.personal.guardian.name': 'guardianName',
  'data.personal.guardian.relation': 'guardianRelation',
  'data.personal.guardian.phone': 'guardianPhone',
  'data.personal.guardian.age': 'guardianAge',
  'data.personal.guardian.health': 'guardianHealth',
  'data.personal.guardian.education': 'guardianEducation',
  'data.personal.personality': 'personality',
  'data.personal.interests': 'interests',
  occurredAt: 'birthMonth',
};

function columnOfPath(path: string, parents: readonly { relation: 'father' | 'mother' }[], headerOf: (column: RosterColumn) => string): string | null {
  const parent = /^data\.personal\.parents\[(\d+)\]\.(\w+)$/.exec(path);
  if (parent) {
    const relation = parents[Number(parent[1])]?.relation ?? 'father';
    const part = parent[2] === 'workCity' ? 'WorkCity' : parent[2].charAt(0).toUpperCase() + parent[2].slice(1);
    return headerOf(`${relation}${part}` as RosterColumn);
  }
  const column = COLUMN_OF_PATH[path];
  return column ? headerOf(column) : null;
}

function errorOfRefusal(row: PlannedRow, refusal: Refusal): RosterRowError {
  return { row: row.row, column: row.columnOfPath(refusal.field), code: refusal.code, message: refusal.message };
}
