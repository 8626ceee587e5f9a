import type { DynamicModule, MiddlewareConsumer, NestModule } from '@nestjs/common';
import { Inject, Module, RequestMethod } from '@nestjs/common';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Paths the API, health and metrics answer: never a page, even when nothing there matches. */
const SERVER_PATHS = /^\/(api|health|metrics)(\/|$)/;
/** Vite names every built asset by its content hash, so a browser may keep it for good. */
const HASHED_ASSETS = /^\/assets\//;
const WEB_ROOT = Symbol('WEB_ROOT');

/**
 * The built dashboard (`dist/apps/web`): hashed assets cached for a year, everything else
 * (index.html) revalidated on every load so a new build is picked up at once; a GET for a page
 * path that is no file answers index.html (the app routes in the browser). API, health and
 * metrics paths pass through untouched, so an unknown API path stays the API's 404 problem.
 */
export function webAppHandler(root: string) {
  const files = express.static(root, {
    index: 'index.html',
    fallthrough: true,
    setHeaders: (response, path) => {
      const relative = path.slice(root.length).replaceAll('\\', '/');
      response.setHeader('Cache-Control', HASHED_ASSETS.test(relative) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const index = join(root, 'index.html');
  return (request: Request, response: Response, next: NextFunction): void => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || SERVER_PATHS.test(request.path)) return next();
    files(request, response, () => {
      // A missing asset or file is a 404, not the page: a stale index.html asking for an old
      // chunk must fail visibly rather than parse HTML as JavaScript.
      if (HASHED_ASSETS.test(request.path) || /\.[a-z0-9]+$/i.test(request.path) || !request.accepts('html')) return next();
      response.setHeader('Cache-Control', 'no-cache');
      response.sendFile(index);
    });
  };
}

@Module({})
export class WebAppModule implements NestModule {
  constructor(@Inject(WEB_ROOT) private readonly root: string) {}

  /**
   * Serves the dashboard built into `root` beside the API. Without a build (`root` has no
   * index.html) it serves nothing, and says why once.
   */
  static forRoot(root: string, warn: (message: string) => void): DynamicModule {
    if (!existsSync(join(root, 'index.html'))) warn(`No dashboard build in ${root}: / serves nothing (npm start builds it; or npx vite build -c apps/web/vite.config.ts)`);
    return { module: WebAppModule, providers: [{ provide: WEB_ROOT, useValue: root }] };
  }

  configure(consumer: MiddlewareConsumer): void {
    if (!existsSync(join(this.root, 'index.html'))) return;
    consumer.apply(webAppHandler(this.root)).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
