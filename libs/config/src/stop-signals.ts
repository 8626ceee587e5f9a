/**
 * Runs `stop` on the first SIGTERM or SIGINT and exits 0 when it is done. Signals that come while
 * it runs are taken and ignored (an operator's second Ctrl-C, a signal sent both to a launcher
 * that passes it on and to the service): their default action would end the process in the middle
 * of its orderly stop, with requests undrained and its embedded database left running.
 */
export function stopOnSignals(stop: () => Promise<void>): void {
  let stopping: Promise<void> | undefined;
  const onSignal = () => {
    stopping ??= stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
