import type { Express, NextFunction, Request, Response } from 'express';
import { problemBody } from './problem';
import { sendProblem } from './problem-details.filter';

/** The parts of the router's layers (router 2) this reads. */
interface RouteLayer {
  readonly route?: { readonly path: string; readonly methods: Readonly<Record<string, boolean>> };
  match(path: string): boolean;
}

/** A route on every path (`/{*path}`: how Nest mounts a module's middleware for all routes) says nothing of any path's methods. */
const EVERY_PATH = /^\/?\{?\*/;

/** The methods the app's routes answer on `path`, as an Allow header lists them; empty for an unknown path. */
export function allowedMethods(server: Express, path: string): string[] {
  const layers = (server.router as unknown as { stack: RouteLayer[] }).stack;
  const routes = layers.filter((layer) => layer.route !== undefined && !EVERY_PATH.test(layer.route.path) && layer.match(path));
  const methods = new Set(routes.flatMap((layer) => Object.keys(layer.route?.methods ?? {})).map((m) => m.toUpperCase()));
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

/**
 * A method no route of a known path answers is 405 with `Allow` (RFC 9110), not the 404 of an
 * unknown path. It looks the routes up per request, so it sees routes registered after it.
 */
export function methodNotAllowed(server: Express) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const allowed = allowedMethods(server, request.path);
    if (allowed.length === 0 || allowed.includes(request.method)) return next();
    response.setHeader('Allow', allowed.join(', '));
    sendProblem(response, problemBody(405, 'method-not-allowed', `${request.method} is not allowed here; allowed: ${allowed.join(', ')}`));
  };
}
