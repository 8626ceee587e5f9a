import { AccountError } from '@lbc/accounts';
import { Problem } from '@lbc/http';

// A role and schoolId that do not go together each match the schema (a rule between fields), and so
// does a password of the stated length that is breached or trivial (a domain rule): 422.
const STATUS: Partial<Record<AccountError['code'], number>> = { 'username-taken': 409, 'unknown-user': 404, 'school-required': 422, 'school-not-allowed': 422, 'weak-password': 422 };

/** An account refusal as the problem answering it: bad input 400 naming the field, a binding or password that breaks a rule 422, a taken name 409, an unknown user 404. */
export function accountProblem(error: unknown): unknown {
  if (!(error instanceof AccountError)) return error;
  return new Problem(STATUS[error.code] ?? 400, error.code, error.message, error.field);
}
