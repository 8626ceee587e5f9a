import { ConfigError } from './load-config';

/**
 * How an app's `main` ends when its start fails: a configuration error is one line naming the
 * variable (its stack would only point into this library), anything else its stack.
 */
export function exitOnStartFailure(service: string): (error: unknown) => never {
  return (error) => {
    // Something may reject with no reason at all: say so rather than print `undefined`.
    console.error(
      error instanceof ConfigError ? `${service}: ${error.message}` : error instanceof Error ? error : `${service} failed without a reason (${String(error)})`,
    );
    process.exit(1);
  };
}
