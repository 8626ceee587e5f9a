export { environmentSchema } from './config.schema';
export type { Environment } from './config.schema';
export { ConfigError, loadConfig } from './load-config';
export type { Config, RebuildConfig, Service, StreamConfig, VerifyConfig } from './load-config';
export { exitOnStartFailure } from './start-failure';
export { stopOnSignals } from './stop-signals';
