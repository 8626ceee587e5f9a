// Runs `node <args>` in a process group of its own and passes it the first SIGINT and SIGTERM.
// Ctrl-C in a terminal signals the whole foreground group: the embedded PostgreSQL that a service
// starts as its child would get the SIGINT as well and shut down at once, under the service's
// orderly stop (drain the requests under way, then the stream, then the database), cutting a batch
// in the middle of its streams. In a group of its own only the service is told, and it stops its
// database last. Exits as the service did.
const { spawn } = require('node:child_process');
const { constants } = require('node:os');

const service = spawn(process.execPath, process.argv.slice(2), { stdio: 'inherit', detached: true });
for (const signal of ['SIGINT', 'SIGTERM']) {
  // Once: npm passes a terminal's Ctrl-C on as well, and a second SIGINT would be the service's default (die).
  process.once(signal, () => {
    service.kill(signal);
    process.on(signal, () => undefined);
  });
}
service.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
