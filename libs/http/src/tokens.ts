/**
 * Injection tokens of the adapters an app hands to its HTTP modules (`IngestDependencies`,
 * `ReadApiDependencies`): one symbol each, whichever module provides it.
 */
export const CONFIG = Symbol('Config');
export const EVENT_STORE = Symbol('EventStore');
export const VAULT = Symbol('PersonalDataVault');
export const POOL = Symbol('pg.Pool');
export const LOGGER = Symbol('Logger');
export const CLOCK = Symbol('Clock');
