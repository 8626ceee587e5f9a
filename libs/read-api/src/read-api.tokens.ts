/** Injection tokens of the read side's own dependencies (the shared ones are `@lbc/http`'s). */
export const READ_MODELS = Symbol('ReadModels');
export const STATISTICS_SETTINGS = Symbol('StatisticsSettings');
