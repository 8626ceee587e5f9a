export { ReadApiModule } from './read-api.module';
export type { ReadApiDependencies } from './read-api-dependencies';
