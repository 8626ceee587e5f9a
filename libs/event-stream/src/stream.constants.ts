/** The one topic of the relay: every event of the store, keyed by its subject. */
export const CARE_EVENTS_TOPIC = 'care-events';

/** The projector's consumer group. */
export const PROJECTOR_GROUP = 'read-models-projector';

/**
 * Advisory lock between the projector and a rebuild's swap: each projector batch holds it
 * shared for its transaction, the swap holds it exclusively, so no batch straddles the swap.
 */
export const READ_MODELS_SWAP_LOCK = 7_120_150_005;

/**
 * Partitions of the topic: the projector's parallelism ceiling. Fixed once the topic exists —
 * more partitions would move keys and break their order.
 */
export const CARE_EVENTS_PARTITIONS = 6;
