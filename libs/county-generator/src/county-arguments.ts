import type { CountyOptions } from './county-options';

const FLAGS = { '--children': 'children', '--months': 'months', '--schools': 'schools', '--townships': 'townships', '--seed': 'seed', '--max-carer-load': 'maxCarerLoad', '--upload-every-days': 'uploadEveryDays' } as const;

/**
 * Options from command-line flags (`--children 50000 --months 12 [--schools N] [--townships N]
 * [--seed N] [--end YYYY-MM-DD] [--county-id ID] [--max-carer-load N] [--upload-every-days N]`);
 * `end` defaults to the given `today`.
 */
export function countyOptionsOf(args: readonly string[], today: string): CountyOptions {
  const options: Record<string, unknown> = { seed: 1, end: today };
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i], args[i + 1]];
    if (value === undefined) throw new RangeError(`${flag}: a value is missing`);
    if (flag === '--end') options['end'] = value;
    else if (flag === '--county-id') options['countyId'] = value;
    else if (flag in FLAGS) {
      const number = Number(value);
      if (!Number.isInteger(number)) throw new RangeError(`${flag}: an integer, not ${value}`);
      options[FLAGS[flag as keyof typeof FLAGS]] = number;
    } else throw new RangeError(`unknown flag ${flag}; known: ${[...Object.keys(FLAGS), '--end', '--county-id'].join(' ')}`);
  }
  if (options['children'] === undefined || options['months'] === undefined) throw new RangeError('--children and --months are required');
  return options as unknown as CountyOptions;
}
