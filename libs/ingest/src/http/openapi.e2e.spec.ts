import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import type { Response } from 'supertest';
import type { IngestTestApp } from '../testing/ingest-test-app';
import { startIngestTestApp } from '../testing/ingest-test-app';

interface Operation {
  readonly operationId?: string;
  readonly parameters?: readonly { readonly name: string; readonly in: string }[];
  readonly requestBody?: unknown;
  readonly security?: readonly unknown[];
  readonly responses: Record<string, { readonly content?: Record<string, unknown> }>;
}
type Document = { readonly paths: Record<string, Record<string, Operation>> };

/** Every route the app's router holds, as OpenAPI writes them; the description's own routes aside. */
function registeredRoutes(server: Express): { path: string; method: string }[] {
  const stack = (server.router as unknown as { stack: { route?: { path: string; methods: Record<string, boolean> } }[] }).stack;
  return stack
    .flatMap(({ route }) => (route ? Object.keys(route.methods).map((method) => ({ path: route.path, method })) : []))
    .filter(({ path }) => !path.startsWith('/api/docs'))
    .map(({ path, method }) => ({ path: path.replace(/:(\w+)/g, '{$1}'), method }));
}

const pathParams = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => name);

/**
 * A schema-blind attacker's probes, for every documented operation (so also for endpoints added
 * later): whatever the server answers must be a documented status, and every error problem details.
 */
describe('the OpenAPI description matches the server', () => {
  let t: IngestTestApp;
  let document: Document;
  const operations: { path: string; method: string; operation: Operation }[] = [];
  beforeAll(async () => {
    t = await startIngestTestApp();
    document = (await t.http.get('/api/docs-json').expect(200)).body as Document;
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) operations.push({ path, method, operation });
    }
  });
  afterAll(() => t.close());

  it('documents every registered route and method with its path parameters', () => {
    const routes = registeredRoutes(t.app.getHttpAdapter().getInstance() as Express);
    expect(routes.length).toBeGreaterThan(20);
    for (const { path, method } of routes) {
      const operation = document.paths[path]?.[method];
      expect({ path, method, documented: operation !== undefined }).toEqual({ path, method, documented: true });
      const documented = (operation?.parameters ?? []).filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name);
      expect({ path, method, params: documented.sort() }).toEqual({ path, method, params: pathParams(path).sort() });
    }
    expect(operations).toHaveLength(routes.length);
  });

  it('gives every operation its own operationId', () => {
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('documents every status the server answers to malformed, unauthenticated, forbidden, oversized and mistyped requests', async () => {
    const admin = `Bearer ${await t.token('admin')}`;
    const county = `Bearer ${await t.token('county.edu')}`;
    const oversized = JSON.stringify({ padding: 'x'.repeat(1024 * 1024 + 1) });
    const answers: { probe: string; status: number; documented: boolean; problem: boolean }[] = [];
    for (const { path, method, operation } of operations) {
      const url = (at?: string) => path.replace(/\{(\w+)\}/g, (_all, name: string) => (name === at ? 'a%00b' : randomUUID()));
      const call = (target: string, auth?: string) => {
        const request = t.http[method as 'get'](target);
        return auth ? request.set('authorization', auth) : request;
      };
      const probes: [string, () => PromiseLike<Response>][] = [
        ['no token', () => call(url())],
        ['a county role', () => call(url(), county)],
        ['a NUL in the query', () => call(`${url()}?q=%00`, admin)],
        ...pathParams(path).map((name): [string, () => PromiseLike<Response>] => [`a NUL in ${name}`, () => call(url(name), admin)]),
      ];
      if (operation.requestBody) {
        probes.push(
          ['an oversized body without a token', () => call(url()).set('content-type', 'application/json').send(oversized)],
          ['an oversized body', () => call(url(), admin).set('content-type', 'application/json').send(oversized)],
          ['an XML body', () => call(url(), admin).set('content-type', 'text/xml').send('<x/>')],
          ['an empty JSON object', () => call(url(), admin).send({})],
        );
      }
      for (const [name, probe] of probes) {
        const response = await probe();
        answers.push({
          probe: `${method.toUpperCase()} ${path}: ${name} → ${response.status}`,
          status: response.status,
          documented: String(response.status) in operation.responses,
          problem: response.status < 400 || /^application\/problem\+json/.test(response.headers['content-type'] ?? ''),
        });
        if (name.startsWith('a NUL')) expect({ probe: name, path, status: response.status }).toEqual({ probe: name, path, status: 400 });
        if (name === 'an oversized body without a token' && operation.security?.length)
          expect({ path, status: response.status }).toEqual({ path, status: 401 });
      }
    }
    expect(answers.filter((answer) => !answer.documented || !answer.problem || answer.status >= 500)).toEqual([]);
    const statuses = new Set(answers.map((answer) => answer.status));
    for (const status of [400, 401, 403, 413, 415]) expect(statuses).toContain(status);
  });

  it('documents each refusal of a request with a problem-details body', () => {
    for (const { path, method, operation } of operations) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400 || Number(status) >= 500) continue;
        expect({ path, method, status, content: Object.keys(response.content ?? {}) }).toEqual({ path, method, status, content: ['application/problem+json'] });
      }
    }
  });

  it('answers a method a documented path lacks with 405 and the documented methods in Allow', async () => {
    for (const path of Object.keys(document.paths)) {
      const methods = Object.keys(document.paths[path]).map((method) => method.toUpperCase());
      if (methods.includes('GET')) methods.push('HEAD');
      const response = await t.http.trace(path.replace(/\{(\w+)\}/g, () => randomUUID()));
      expect({ path, status: response.status, allow: response.headers['allow'] }).toEqual({ path, status: 405, allow: methods.sort().join(', ') });
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });
});
