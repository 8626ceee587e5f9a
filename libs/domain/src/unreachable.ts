/**
 * The `default` of a switch that the compiler has proven exhaustive: `value` is `never`, so adding a
 * case to a union without handling it fails to compile here; reaching it at run time is a bug.
 */
export function unreachable(what: string, value: never): never {
  throw new Error(`unhandled ${what} ${JSON.stringify(value)}`);
}
