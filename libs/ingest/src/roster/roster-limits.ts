import { Problem } from '@lbc/http';

/** How much one roster import may hold (libs/config: ROSTER_MAX_ROWS, ROSTER_MAX_UNCOMPRESSED_BYTES). */
export interface RosterLimits {
  readonly maxRows: number;
  readonly maxUncompressedBytes: number;
}

export function tooManyRows(maxRows: number): Problem {
  return new Problem(413, 'roster-too-many-rows', `The roster has more than ${maxRows} rows (ROSTER_MAX_ROWS); split it, e.g. by grade`, undefined, {
    limit: maxRows,
    setting: 'ROSTER_MAX_ROWS',
  });
}

export function tooLargeUncompressed(maxBytes: number): Problem {
  return new Problem(413, 'roster-too-large-uncompressed', `The XLSX unpacks to more than ${maxBytes} bytes (ROSTER_MAX_UNCOMPRESSED_BYTES)`, undefined, {
    limit: maxBytes,
    setting: 'ROSTER_MAX_UNCOMPRESSED_BYTES',
  });
}
