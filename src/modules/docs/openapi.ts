import { z } from 'zod';
import { ERROR_CODES } from '../../shared/errors/app-error';
import { OPERATIONS, type Operation } from './operations';

type Json = Record<string, unknown>;

/** OpenAPI 3.1 schemas are JSON Schema 2020-12, zod's default target; `input` documents what clients send. */
function jsonSchema(schema: z.ZodType): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  return rest;
}

const problem = { $ref: '#/components/schemas/Problem' };
const problemContent = { 'application/problem+json': { schema: problem } };

const COMPONENTS = {
  securitySchemes: {
    bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key (`ADMIN_API_KEY` or one from POST /v1/api-keys). Roles: admin, webhook, agent, supervisor.' },
    metricsToken: { type: 'http', scheme: 'bearer', description: '`METRICS_TOKEN`, when set.' },
    adminBasic: { type: 'http', scheme: 'basic', description: 'Any user name, the admin key as password.' },
  },
  schemas: {
    Problem: {
      type: 'object',
      description: 'RFC 9457 problem details.',
      required: ['type', 'title', 'status'],
      properties: {
        type: { type: 'string' },
        title: { type: 'string', enum: [...new Set(Object.values(ERROR_CODES).map((e) => e.title))] },
        status: { type: 'integer' },
        detail: { type: 'string' },
        errors: { type: 'array', items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } } },
      },
    },
    TicketSummary: {
      type: 'object',
      required: ['id', 'status', 'route', 'priority', 'scores', 'flags', 'reasons', 'sla', 'createdAt'],
      properties: {
        id: { type: 'string', format: 'uuid' },
        status: { type: 'string', enum: ['ai_queued', 'ai_answered', 'human_queued', 'assigned', 'resolved'] },
        route: { type: 'string', enum: ['ai', 'human'] },
        priority: { type: 'string', enum: ['urgent', 'high', 'normal', 'low'] },
        scores: { type: 'object', properties: { sentiment: { type: 'number', minimum: -1, maximum: 1 }, complexity: { type: 'number', minimum: 0, maximum: 1 } } },
        flags: { type: 'array', items: { type: 'string' } },
        reasons: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, detail: { type: 'string' } } } },
        sla: { type: 'object', properties: { firstResponseDueAt: { type: ['string', 'null'], format: 'date-time' }, resolutionDueAt: { type: ['string', 'null'], format: 'date-time' } } },
        createdAt: { type: 'string', format: 'date-time' },
      },
    },
    TicketDetail: {
      allOf: [
        { $ref: '#/components/schemas/TicketSummary' },
        {
          type: 'object',
          properties: {
            messages: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  id: { type: 'string', format: 'uuid' },
                  author: { type: 'string', enum: ['customer', 'ai', 'agent'] },
                  body: { type: ['string', 'null'] },
                  disclosure: { type: 'string' },
                  internal: { type: 'boolean' },
                  createdAt: { type: 'string', format: 'date-time' },
                },
              },
            },
            notices: {
              description: 'What Handoff told the customer by itself (an escalation notice: a person will answer, and by when); delivered like a message, as `ticket.message` with author `system`.',
              type: 'array',
              items: {
                type: 'object',
                properties: { id: { type: 'string', format: 'uuid' }, body: { type: ['string', 'null'] }, createdAt: { type: 'string', format: 'date-time' } },
              },
            },
            assignedAgentId: { type: ['string', 'null'], format: 'uuid' },
            firstRespondedAt: { type: ['string', 'null'], format: 'date-time' },
            resolvedAt: { type: ['string', 'null'], format: 'date-time' },
            decisions: { type: 'array', items: { type: 'object' } },
            events: { type: 'array', items: { type: 'object' } },
          },
        },
      ],
    },
  },
  responses: Object.fromEntries(
    (
      [
        ['BadRequest', 'Invalid body or query (`errors` lists each field)'],
        ['Unauthenticated', 'No, unknown or revoked key (or a bad webhook signature)'],
        ['Forbidden', 'Wrong role, or not your ticket/source/agent'],
        ['NotFound', 'No such resource'],
        ['Conflict', 'State conflict'],
        ['PayloadTooLarge', 'Body over the limit (64 KiB by default)'],
        ['UnsupportedMediaType', 'Body is not JSON'],
        ['RateLimited', 'Rate limited (see `Retry-After`)'],
        ['Unavailable', 'Postgres or Redis is down (see `Retry-After`)'],
      ] as const
    ).map(([name, description]) => [name, { description, content: problemContent }]),
  ),
};

const SHARED_ERRORS: Record<string, string> = { '400': 'BadRequest', '401': 'Unauthenticated', '403': 'Forbidden', '404': 'NotFound', '409': 'Conflict', '413': 'PayloadTooLarge', '415': 'UnsupportedMediaType', '429': 'RateLimited', '503': 'Unavailable' };

function parameters(op: Operation): Json[] {
  const inPath = [...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  if (!op.query) return inPath;
  const q = jsonSchema(op.query) as { properties?: Record<string, Json>; required?: string[] };
  const inQuery = Object.entries(q.properties ?? {}).map(([name, schema]) => ({ name, in: 'query', required: (q.required ?? []).includes(name) && schema.default === undefined, schema }));
  return [...inPath, ...inQuery];
}

function responses(op: Operation): Json {
  const out: Json = {};
  for (const [status, description] of Object.entries(op.responses)) {
    const body = op.bodies?.[status];
    if (status.startsWith('4') || status.startsWith('5')) out[status] = { description, content: problemContent };
    else if (status === '204') out[status] = { description };
    else if (body) out[status] = { description, content: { [body.contentType]: { schema: body.schemaRef ? { $ref: `#/components/schemas/${body.schemaRef}` } : {} } } };
    else out[status] = { description, content: { 'application/json': { schema: { type: 'object' } } } };
  }
  if (op.access.kind !== 'roles') return out;
  // What every /v1 call can meet, from the middleware in front of all routers.
  const errors = ['401', '403', '429', '503'];
  if (op.body || op.query) errors.push('400');
  if (op.body) errors.push('413', '415');
  if (op.path.includes('{')) errors.push('404');
  if (op.path.endsWith('/resolve')) errors.push('409');
  for (const status of errors) out[status] ??= { $ref: `#/components/responses/${SHARED_ERRORS[status]}` };
  return out;
}

function operation(op: Operation): Json {
  const { access } = op;
  const who = access.kind === 'roles' ? `**Roles:** ${access.roles.join(', ')}${access.note ? ` (${access.note})` : ''}.` : access.kind === 'public' ? '**Public.**' : '';
  const doc: Json = {
    operationId: `${op.method}${op.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    tags: [op.tag],
    summary: op.summary,
    description: [who, op.description].filter(Boolean).join('\n\n'),
    security: access.kind === 'public' ? [] : access.kind === 'own' ? [{ [access.auth]: [] }] : [{ bearerAuth: [] }],
    responses: responses(op),
  };
  const params = parameters(op);
  if (params.length > 0) doc.parameters = params;
  if (op.body && 'schema' in op.body) {
    doc.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(op.body.schema), example: op.body.example } } };
  } else if (op.body) {
    doc.requestBody = { required: true, description: op.body.freeForm, content: { 'application/json': { schema: { type: 'object' } } } };
  }
  return doc;
}

/** The OpenAPI 3.1 document, built from OPERATIONS and the zod schemas the handlers parse with. */
export function buildOpenApiDocument(): Json {
  const paths: Record<string, Json> = {};
  for (const op of OPERATIONS) (paths[op.path] ??= {})[op.method] = operation(op);
  return {
    openapi: '3.1.1',
    info: {
      title: 'Handoff',
      // The contract's version: it changes when the HTTP interface does, not with every release.
      version: '1.0.0',
      description: 'Decides, for every customer-support ticket, whether an AI may answer it or a person must. Errors are RFC 9457 problem+json; lists are cursor-paginated (`limit`, `cursor` → `{ items, nextCursor }`).',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    security: [{ bearerAuth: [] }],
    tags: [...new Set(OPERATIONS.map((o) => o.tag))].map((name) => ({ name })),
    paths,
    components: COMPONENTS,
  };
}
