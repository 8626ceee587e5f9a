import type { INestApplication, Type } from '@nestjs/common';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, Reflector } from '@nestjs/core';
import type { OpenAPIObject, OperationObject, ParameterObject, ResponseObject } from '@nestjs/swagger';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { z } from 'zod';
import { ID_PATTERN } from '@lbc/domain';
import { PUBLIC_KEY, ROLES_KEY } from './auth/auth.decorators';
import { PROBLEM_CONTENT_TYPE } from './problem';
import { bodyKindOf } from './request-input.interceptor';

/** A route as Nest registered it, with what the shared request handling can answer on it. */
export interface RouteFacts {
  /** OpenAPI form: `/api/v1/children/{childId}`. */
  readonly path: string;
  /** Lower case, as OpenAPI keys operations. */
  readonly method: string;
  readonly isPublic: boolean;
  readonly hasRoles: boolean;
}

const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem details (API.md "Errors")',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', description: 'Stable, machine-readable reason' },
    field: { type: 'string', description: 'JSON path into the request' },
  },
  additionalProperties: true,
};

// Queries and bodies are checked for text no store can keep (RequestInputInterceptor); JSON Schema
// can state the NUL part of it.
const STORABLE_TEXT = '^[^\\u0000]*$';

const SHARED_ANSWERS: Readonly<Record<number, string>> = {
  400: 'A path parameter, query parameter or body field is malformed, or holds text that cannot be stored (`field` names it)',
  401: 'No valid access token',
  403: 'The caller’s role may not use this endpoint',
  413: 'The body exceeds its size limit (problem with `limit`)',
  415: 'The body’s media type is not accepted here',
};

/** The JSON Schema (OpenAPI 3.0) of what a zod schema accepts as input. */
export function openApiSchemaOf(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

/**
 * A response object (OpenAPI 3.0) whose properties are all present unless named `optional`:
 * `required` is derived, so that it never disagrees with the properties an answer lists.
 */
export function objectSchema(
  properties: Readonly<Record<string, object>>,
  { optional = [], ...rest }: { readonly optional?: readonly string[]; readonly nullable?: boolean; readonly description?: string } = {},
): Record<string, unknown> {
  return { type: 'object', required: Object.keys(properties).filter((key) => !optional.includes(key)), properties, ...rest };
}

function joinPath(...parts: string[]): string {
  const joined = parts.map((part) => part.replace(/^\/+|\/+$/g, '')).filter(Boolean);
  return `/${joined.join('/')}`.replace(/:(\w+)/g, '{$1}');
}

/** Every route of the app's controllers, read from Nest's own metadata. */
export function routeFactsOf(app: INestApplication): RouteFacts[] {
  const reflector = app.get(Reflector);
  const facts: RouteFacts[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type<unknown>;
      const prefixes = [Reflect.getMetadata(PATH_METADATA, controller) ?? ''].flat() as string[];
      for (const key of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[key];
        if (typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod].toLowerCase();
        const targets = [handler, controller];
        const isPublic = reflector.getAllAndOverride<boolean | undefined>(PUBLIC_KEY, targets) === true;
        const hasRoles = reflector.getAllAndOverride<unknown[] | undefined>(ROLES_KEY, targets) !== undefined;
        for (const prefix of prefixes) {
          for (const path of [Reflect.getMetadata(PATH_METADATA, handler) ?? ''].flat() as string[]) {
            facts.push({ path: joinPath(prefix, path), method, isPublic, hasRoles });
          }
        }
      }
    }
  }
  return facts;
}

function problemAnswer(description: string): ResponseObject {
  return { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } } };
}

/** The statuses the shared request handling (guard, body reading, input checks) can answer on a route. */
export function sharedStatusesOf(route: RouteFacts): number[] {
  const body = bodyKindOf(route.method.toUpperCase(), route.path);
  return [
    400,
    ...(route.isPublic ? [] : [401]),
    ...(route.hasRoles ? [403] : []),
    ...(body === 'none' ? [] : [413]),
    ...(body === 'text' || body === 'json' ? [415] : []),
  ];
}

function complete(operation: OperationObject, route: RouteFacts): void {
  if (!route.isPublic) operation.security = [{ bearer: [] }];
  const parameters = (operation.parameters ?? []) as ParameterObject[];
  for (const [, name] of route.path.matchAll(/\{(\w+)\}/g)) {
    let parameter = parameters.find((candidate) => candidate.in === 'path' && candidate.name === name);
    if (!parameter) parameters.push((parameter = { name, in: 'path', required: true }));
    const schema = parameter.schema as { enum?: unknown[]; format?: string; pattern?: string } | undefined;
    // Every path parameter is held to the id pattern; an enumeration of ids (a risk flag), a uuid
    // (an account) or a narrower pattern of ids (a stream id) says more.
    if (!schema?.enum && schema?.format !== 'uuid' && !schema?.pattern) parameter.schema = { type: 'string', pattern: ID_PATTERN.source };
  }
  for (const parameter of parameters) {
    const schema = parameter.schema as { type?: string; pattern?: string; enum?: unknown[]; format?: string } | undefined;
    if (parameter.in === 'query' && schema?.type === 'string' && !schema.pattern && !schema.enum && !schema.format) schema.pattern = STORABLE_TEXT;
  }
  operation.parameters = parameters;
  const responses = operation.responses as Record<string, ResponseObject>;
  for (const status of sharedStatusesOf(route)) responses[status] ??= problemAnswer(SHARED_ANSWERS[status]);
  for (const [status, response] of Object.entries(responses)) {
    if (Number(status) >= 400 && !response.content) responses[status] = problemAnswer(response.description);
  }
  operation.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b)));
}

interface SchemaNode {
  $ref?: string;
  type?: string;
  pattern?: string;
  enum?: unknown[];
  format?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: unknown;
  items?: SchemaNode;
}

/**
 * A request body described by a class or an object schema states what every body is checked
 * for: unknown fields are refused, not ignored (`validate`), and no text may hold a NUL
 * (RequestInputInterceptor).
 */
function describeBodyChecks(document: OpenAPIObject, schema: SchemaNode | undefined, seen = new Set<SchemaNode>()): void {
  const node = schema?.$ref ? (document.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')] as SchemaNode | undefined) : schema;
  if (!node || seen.has(node)) return;
  seen.add(node);
  if (node.type === 'string' && !node.pattern && !node.enum && !node.format) node.pattern = STORABLE_TEXT;
  if (node.properties) {
    node.additionalProperties ??= false;
    for (const property of Object.values(node.properties)) describeBodyChecks(document, property, seen);
  }
  describeBodyChecks(document, node.items, seen);
}

/**
 * The OpenAPI document of the app, completed from what every endpoint shares so that it matches
 * the server exactly: bearer security and 401 unless public, 403 where roles narrow the callers,
 * 400 everywhere (parameters, queries and bodies are checked alike), 413 and 415 where a body is
 * read, every path parameter with the id pattern it is held to, every error as problem details, and
 * the checks every body gets in the request bodies classes describe.
 * `schemas` are components that decorators refer to by `$ref` but no class describes.
 */
export function createOpenApiDocument(app: INestApplication, schemas: Readonly<Record<string, unknown>> = {}): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Left-behind children care: school ingest API')
      .setDescription('Events, web forms, roster import and accounts (see API.md, INTERCHANGE.md). Errors are RFC 9457 problem details.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...schemas, Problem: PROBLEM_SCHEMA } };
  for (const route of routeFactsOf(app)) {
    const operation = (document.paths[route.path] as Record<string, OperationObject> | undefined)?.[route.method];
    if (!operation) continue;
    complete(operation, route);
    const body = operation.requestBody as { content?: Record<string, { schema?: SchemaNode }> } | undefined;
    for (const { schema } of Object.values(body?.content ?? {})) if (schema?.$ref || schema?.type === 'object') describeBodyChecks(document, schema);
  }
  return document;
}
