/** The live read-model `DataSource` (`openReadModels`). */
export const READ_MODELS = Symbol('READ_MODELS');
export const READ_MODELS_CLOCK = Symbol('READ_MODELS_CLOCK');
