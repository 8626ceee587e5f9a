export { WebAppModule, webAppHandler } from './web-app';
