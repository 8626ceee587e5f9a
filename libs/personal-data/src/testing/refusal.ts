import type { PersonalDataError } from '../personal-data-vault';

/** For specs: the code and field of the refusal `work` throws, or null when it succeeds. */
export function refusalOf(work: () => unknown): [string, string | null] | null {
  try {
    work();
    return null;
  } catch (error) {
    return [(error as PersonalDataError).code, (error as PersonalDataError).field];
  }
}
