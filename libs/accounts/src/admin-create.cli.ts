import { createInterface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { AccountError } from './account';
import type { Accounts } from './accounts';

export interface CliIo {
  readonly input: Readable;
  readonly output: Writable;
}

/**
 * `npm run admin:create -- --username NAME --county COUNTY_ID [--password PW]`: creates a
 * platform admin outside demo mode. Missing values are asked for on the input, one a line (so a
 * script can pipe them in). Returns the process exit code.
 */
export async function runAdminCreate(accounts: Accounts, argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: { username: { type: 'string' }, password: { type: 'string' }, county: { type: 'string' } },
  });
  const prompt = createInterface({ input: io.input, terminal: false });
  // The iterator buffers lines, so answers piped in before they are asked for are kept.
  const lines = prompt[Symbol.asyncIterator]();
  const ask = async (question: string): Promise<string> => {
    io.output.write(question);
    const line = await lines.next();
    return line.done ? '' : String(line.value);
  };
  try {
    const username = values.username ?? (await ask('username: '));
    const countyId = values.county ?? (await ask('county id: '));
    const password = values.password ?? (await ask('password: '));
    const user = await accounts.createUser({ username: username.trim(), password, role: 'platform_admin', countyId: countyId.trim() }, { id: null, username: 'admin:create' });
    io.output.write(`created platform_admin ${user.username} (${user.id})\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof AccountError)) throw error;
    io.output.write(`refused: ${error.message}\n`);
    return 1;
  } finally {
    prompt.close();
  }
}
