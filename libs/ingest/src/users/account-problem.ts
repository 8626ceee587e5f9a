import { AccountError } from '@lbc/accounts';
import { Problem } from '../http/problem';

const STATUS: Partial<Record<AccountError['code'], number>> = { 'username-taken': 409, 'unknown-user': 404 };

/** An account refusal as the problem answering it: bad input 400 naming the field, a taken name 409, an unknown user 404. */
export function accountProblem(error: unknown): unknown {
  if (!(error instanceof AccountError)) return error;
  return new Problem(STATUS[error.code] ?? 400, error.code, error.message, error.field);
}
