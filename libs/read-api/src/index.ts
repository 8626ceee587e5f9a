export { ReadApiModule } from './read-api.module';
export type { ReadApiDependencies } from './read-api-dependencies';
export { ApiReadProblems, PROBLEM_SCHEMA } from './openapi/problem-responses';
export { dateParam, wholeNumber } from './query-params';
