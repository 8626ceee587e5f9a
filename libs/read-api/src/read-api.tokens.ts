/** Injection tokens of what the app hands to the read-side API (see `ReadApiDependencies`). */
export const READ_MODELS = Symbol('ReadModels');
export const EVENT_STORE = Symbol('EventStore');
export const VAULT = Symbol('PersonalDataVault');
export const CLOCK = Symbol('Clock');
export const STATISTICS_SETTINGS = Symbol('StatisticsSettings');
