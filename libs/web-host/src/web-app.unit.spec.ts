import express from 'express';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { webAppHandler } from './web-app';

describe('the dashboard beside the API', () => {
  let root: string;
  let app: express.Express;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'lbc-web-host-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<div id="app"></div>');
    writeFileSync(join(root, 'assets', 'index-Ab12.js'), 'export {};');
    app = express();
    app.use(webAppHandler(root));
    // What the server answers itself, and its 404 for anything else.
    app.get('/api/v1/stats', (_request, response) => void response.json({ api: true }));
    app.use((_request, response) => void response.status(404).json({ code: 'not-found' }));
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('serves index.html for the root and any page path, revalidated on every load', async () => {
    for (const path of ['/', '/index.html', '/county/wangcang']) {
      const response = await request(app).get(path).set('accept', 'text/html');
      expect({ path, status: response.status, cache: response.headers['cache-control'], body: response.text }).toEqual({ path, status: 200, cache: 'no-cache', body: '<div id="app"></div>' });
    }
  });

  it('lets browsers keep hashed assets for a year', async () => {
    const response = await request(app).get('/assets/index-Ab12.js');
    expect({ status: response.status, cache: response.headers['cache-control'] }).toEqual({ status: 200, cache: 'public, max-age=31536000, immutable' });
  });

  it('never answers the page for the API, health, metrics, a missing file or a request that is not a GET', async () => {
    const cases: [string, string, number][] = [
      ['GET', '/api/v1/stats', 200],
      ['GET', '/api/v1/unknown', 404],
      ['GET', '/api', 404],
      ['GET', '/health', 404],
      ['GET', '/metrics', 404],
      ['GET', '/assets/index-Old1.js', 404],
      ['GET', '/favicon.ico', 404],
      ['POST', '/', 404],
      ['DELETE', '/county', 404],
    ];
    for (const [method, path, status] of cases) {
      const response = await request(app)[method === 'GET' ? 'get' : method === 'POST' ? 'post' : 'delete'](path).set('accept', 'text/html');
      expect({ method, path, status: response.status, page: response.text.includes('id="app"') }).toEqual({ method, path, status, page: false });
    }
  });

  it('answers no page to a client that does not take HTML', async () => {
    expect((await request(app).get('/county').set('accept', 'application/json')).status).toBe(404);
  });
});
