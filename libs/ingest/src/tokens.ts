/** Injection tokens of what the app hands to the ingest module (see `IngestDependencies`). */
export const CONFIG = Symbol('Config');
export const EVENT_STORE = Symbol('EventStore');
export const VAULT = Symbol('PersonalDataVault');
export const POOL = Symbol('pg.Pool');
export const LOGGER = Symbol('Logger');
export const CLOCK = Symbol('Clock');
