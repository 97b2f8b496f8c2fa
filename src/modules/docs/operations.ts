import { z } from 'zod';
import { pageQuery } from '../../shared/http/validation';
import { followUpSchema, newTicketSchema } from '../intake/intake.schema';
import { createKeySchema } from '../auth/api-keys.routes';
import { putSourceSchema } from '../sources/sources.routes';
import { auditQuery } from '../audit/audit.routes';
import { createAgentSchema, releaseSchema, replySchema, transferSchema, updateAgentSchema } from '../agents/agents.schema';
import { article as kbArticleSchema, listQuery as kbListQuery } from '../ai/kb.routes';
import { listQuery as reviewsListQuery, verdictBody } from '../ai/reviews.routes';
import { listQuery as deliveriesListQuery } from '../delivery/deliveries.routes';
import { SlaPoliciesUpdateSchema } from '../sla/sla.schema';
import { BreachesQuery, FairnessQuery, SkillsQuery, SlaStatsQuery, TrendQuery } from '../stats/stats.schema';
import { HELPDESK_ADAPTERS } from '../intake/adapters/webhooks.routes';
import { ActivateBody, CreatePolicyBody, SimulateQuery } from '../policies/policies.schema';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Who may call an operation: `public` needs no key; `own` is a separate auth scheme named in `auth`. */
export type Access = { kind: 'public' } | { kind: 'roles'; roles: string[]; note?: string } | { kind: 'own'; auth: string };

/**
 * One documented operation. Bodies and queries point at the very zod schemas the handlers parse,
 * so the document cannot drift from validation; `example` is taken from the contract where it has one.
 */
export interface Operation {
  method: Method;
  /** OpenAPI style (`{id}`). */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  access: Access;
  body?: { schema: z.ZodType; example: unknown } | { freeForm: string };
  query?: z.ZodType;
  /** Status → description; the status's body comes from `bodies` or, for 4xx/5xx, is a Problem. */
  responses: Record<string, string>;
  bodies?: Record<string, { contentType: string; schemaRef?: string } | undefined>;
  /** A sub-application or static directory mounted at `path` (HTML, assets): documented as one GET. */
  mount?: boolean;
}

const roles = (...r: string[]): Access => ({ kind: 'roles', roles: ['admin', ...r] });
const admin = roles();
const ticketBody = { '200': { contentType: 'application/json', schemaRef: 'TicketDetail' } };

/** The contract's own example ticket (contract.md, "Intake"). */
export const CONTRACT_TICKET_EXAMPLE = {
  source: 'zendesk',
  externalId: '48213',
  channel: 'email',
  subject: 'Charged twice this month',
  body: 'Hi, I was charged twice ... please refund',
  customer: {
    externalId: 'cust-991',
    email: 'ana@example.com',
    name: 'Ana Ruiz',
    phone: '+34 600 000 000',
    locale: 'es',
    tier: 'standard',
    aiOptOut: false,
  },
  callbackUrl: 'https://helpdesk.example.com/hooks/handoff',
  metadata: { orderId: 'A-1001' },
};

const kbExample = {
  slug: 'refund-policy',
  language: 'en',
  title: 'Refund policy',
  body: 'Refunds for duplicate charges are issued within 5 business days to the original payment method.',
  tags: ['billing', 'refunds'],
};

/** Every route the app serves. test/docs/openapi.test.ts checks this list against the Express router. */
export const OPERATIONS: readonly Operation[] = [
  // Operations
  { method: 'get', path: '/healthz', tag: 'operations', summary: 'Liveness: 200 while the process lives', access: { kind: 'public' }, responses: { '200': 'Alive' } },
  { method: 'get', path: '/readyz', tag: 'operations', summary: 'Readiness: Postgres and Redis answer', access: { kind: 'public' }, responses: { '200': 'Ready', '503': 'A dependency is down (which one in `detail`)' } },
  {
    method: 'get', path: '/metrics', tag: 'operations', summary: 'Prometheus metrics',
    description: 'Only when metrics are enabled. With `METRICS_TOKEN` set, send it as a bearer token (not an API key).',
    access: { kind: 'own', auth: 'metricsToken' }, responses: { '200': 'Prometheus text exposition', '401': 'Wrong or missing metrics token' },
    bodies: { '200': { contentType: 'text/plain' } },
  },
  { method: 'get', path: '/openapi.json', tag: 'operations', summary: 'This document', access: { kind: 'public' }, responses: { '200': 'OpenAPI 3.1 document' } },
  { method: 'get', path: '/docs', tag: 'operations', summary: 'Interactive API docs (Swagger UI, served locally)', access: { kind: 'public' }, responses: { '200': 'HTML page' }, bodies: { '200': { contentType: 'text/html' } } },
  { method: 'get', path: '/docs/init.js', tag: 'operations', summary: 'Swagger UI start-up script (not inline, for the CSP)', access: { kind: 'public' }, responses: { '200': 'JavaScript' }, bodies: { '200': { contentType: 'text/javascript' } } },
  { method: 'get', path: '/docs/assets', tag: 'operations', summary: 'Swagger UI static files', access: { kind: 'public' }, responses: { '200': 'A static file', '404': 'No such file' }, bodies: { '200': { contentType: 'application/octet-stream' } }, mount: true },
  { method: 'get', path: '/dashboard', tag: 'operations', summary: "Supervisors' dashboard (static page; asks for a supervisor key in the browser)", access: { kind: 'public' }, responses: { '200': 'HTML page' }, bodies: { '200': { contentType: 'text/html' } } },
  { method: 'get', path: '/dashboard/vendor/chart.umd.min.js', tag: 'operations', summary: 'Chart.js for the dashboard, from node_modules', access: { kind: 'public' }, responses: { '200': 'JavaScript' }, bodies: { '200': { contentType: 'text/javascript' } } },
  { method: 'get', path: '/dashboard/assets', tag: 'operations', summary: 'Dashboard static files', access: { kind: 'public' }, responses: { '200': 'A static file', '404': 'No such file' }, bodies: { '200': { contentType: 'application/octet-stream' } }, mount: true },
  {
    method: 'get', path: '/admin/queues', tag: 'operations', summary: 'Queue board (Bull Board UI and its JSON API)',
    description: 'Admin key as bearer token, or HTTP Basic with the admin key as password (browsers).',
    access: { kind: 'own', auth: 'adminBasic' }, responses: { '200': 'HTML page', '401': 'No admin key', '403': 'Not an admin key' },
    bodies: { '200': { contentType: 'text/html' } }, mount: true,
  },

  // Intake
  {
    method: 'post', path: '/v1/tickets', tag: 'intake', summary: 'Receive a ticket from a helpdesk',
    description: '`(source, externalId)` is the idempotency key: a repeated delivery answers 200 with the same ticket. Signed sources must send `X-Handoff-Signature`.',
    access: { kind: 'roles', roles: ['admin', 'webhook'], note: 'a webhook key only for its own source' },
    body: { schema: newTicketSchema, example: CONTRACT_TICKET_EXAMPLE },
    responses: { '202': 'New ticket, scored and routed', '200': 'Repeated delivery: the existing ticket' },
    bodies: { '202': { contentType: 'application/json', schemaRef: 'TicketSummary' }, '200': { contentType: 'application/json', schemaRef: 'TicketSummary' } },
  },
  {
    method: 'post', path: '/v1/tickets/{id}/messages', tag: 'intake', summary: "A customer's follow-up message (re-scored)",
    access: { kind: 'roles', roles: ['admin', 'webhook'], note: 'a webhook key only for its own source' },
    body: { schema: followUpSchema, example: { body: 'The refund still has not arrived. Can I talk to a person, please?' } },
    responses: { '200': 'The ticket, as GET returns it' }, bodies: ticketBody,
  },
  ...HELPDESK_ADAPTERS.map(
    (a): Operation => ({
      method: 'post', path: `/v1/webhooks/${a.source}`, tag: 'intake', summary: `${a.source} webhook payload, mapped to intake`,
      description: 'The product\'s own webhook JSON (see docs/adapters.md). 202 new ticket, 200 redelivery or reply, 200 `{ ignored, reason }` for events Handoff does not use.',
      access: { kind: 'roles', roles: ['admin', 'webhook'], note: `a webhook key for source \`${a.source}\`` },
      body: { freeForm: `${a.source} webhook payload` },
      responses: { '202': 'New ticket', '200': 'Redelivery, reply (ticket as GET returns it) or `{ ignored: true, reason }`' },
    }),
  ),

  // Tickets
  {
    method: 'get', path: '/v1/tickets/{id}', tag: 'tickets', summary: 'A ticket with its messages, decisions and events',
    access: { kind: 'roles', roles: ['admin', 'supervisor', 'webhook', 'agent'], note: 'webhook: same source only; agent: only the ticket assigned to it' },
    responses: { '200': 'The ticket' }, bodies: ticketBody,
  },
  {
    method: 'post', path: '/v1/tickets/{id}/replies', tag: 'agents', summary: "The assigned agent's reply (delivered to the helpdesk)",
    access: { kind: 'roles', roles: ['admin', 'agent'], note: 'the assigned agent, or an admin acting for it (409 when nobody holds the ticket)' },
    body: { schema: replySchema, example: { body: 'Sorry about that, Ana. I have refunded the duplicate charge; it shows within 5 business days.' } },
    responses: { '201': 'The new message', '409': 'Nobody holds the ticket, or it is no longer assigned' },
  },
  {
    method: 'post', path: '/v1/tickets/{id}/resolve', tag: 'agents', summary: 'Resolve the ticket (again: 409)',
    access: { kind: 'roles', roles: ['admin', 'agent'], note: 'the assigned agent, or an admin acting for it (409 when nobody holds the ticket)' }, responses: { '200': 'The resolved ticket', '409': 'Resolved already, or nobody holds the ticket' },
  },
  {
    method: 'post', path: '/v1/tickets/{id}/release', tag: 'agents', summary: 'Give the ticket back to the human queue',
    access: { kind: 'roles', roles: ['admin', 'agent'], note: 'the assigned agent, or an admin acting for it (409 when nobody holds the ticket)' },
    body: { schema: releaseSchema, example: { reason: 'Needs someone from the billing team.' } }, responses: { '200': 'The released ticket', '409': 'Nobody holds the ticket, or it is no longer assigned' },
  },
  {
    method: 'post', path: '/v1/tickets/{id}/transfer', tag: 'agents', summary: 'Transfer to another agent or to a skill queue',
    description: 'Send exactly one of `agentId` or `skill`.',
    access: { kind: 'roles', roles: ['admin', 'agent'], note: 'agent: the assigned agent' },
    body: { schema: transferSchema, example: { skill: 'billing', reason: 'Refund above my approval limit.' } }, responses: { '200': 'The transferred ticket' },
  },

  // Agents
  {
    method: 'post', path: '/v1/agents', tag: 'agents', summary: 'Create an agent (status offline)', access: admin,
    body: { schema: createAgentSchema, example: { name: 'Ana Ruiz', email: 'ana.ruiz@example.com', skills: ['billing'], languages: ['en', 'es'], capacity: 3 } },
    responses: { '201': 'The agent' },
  },
  { method: 'get', path: '/v1/agents', tag: 'agents', summary: 'List agents', access: roles('supervisor'), query: pageQuery, responses: { '200': 'A page of agents' } },
  { method: 'get', path: '/v1/agents/{id}', tag: 'agents', summary: 'An agent with its active ticket count', access: { kind: 'roles', roles: ['admin', 'supervisor', 'agent'], note: 'agent: itself only' }, responses: { '200': 'The agent' } },
  {
    method: 'patch', path: '/v1/agents/{id}', tag: 'agents', summary: 'Change an agent (going offline returns its unanswered tickets)',
    description: 'Send at least one field.',
    access: { kind: 'roles', roles: ['admin', 'agent'], note: 'agent: itself only' },
    body: { schema: updateAgentSchema, example: { status: 'available' } }, responses: { '200': 'The agent' },
  },
  {
    method: 'post', path: '/v1/agents/{id}/claim', tag: 'agents', summary: 'Claim the best waiting ticket this agent may take',
    access: { kind: 'roles', roles: ['admin', 'agent'], note: 'agent: itself only' },
    responses: { '200': '`{ ticket, suggestions }`, the ticket now assigned', '204': 'Nothing fits now, or the agent is not available (see `Retry-After`, `X-Handoff-Claim`)' },
  },
  {
    method: 'get', path: '/v1/agents/{id}/assignments', tag: 'agents', summary: 'Tickets the agent holds', access: { kind: 'roles', roles: ['admin', 'agent', 'supervisor'], note: 'agent: itself only' },
    query: pageQuery, responses: { '200': 'A page of assigned tickets' },
  },

  // AI
  { method: 'get', path: '/v1/kb/articles', tag: 'ai', summary: 'List knowledge-base articles', access: admin, query: kbListQuery, responses: { '200': 'A page of articles' } },
  { method: 'post', path: '/v1/kb/articles', tag: 'ai', summary: 'Create an article', access: admin, body: { schema: kbArticleSchema, example: kbExample }, responses: { '201': 'The article', '409': 'Same language and slug exist' } },
  { method: 'get', path: '/v1/kb/articles/{id}', tag: 'ai', summary: 'An article', access: admin, responses: { '200': 'The article' } },
  { method: 'put', path: '/v1/kb/articles/{id}', tag: 'ai', summary: 'Replace an article', access: admin, body: { schema: kbArticleSchema, example: kbExample }, responses: { '200': 'The article', '409': 'Same language and slug exist' } },
  { method: 'delete', path: '/v1/kb/articles/{id}', tag: 'ai', summary: 'Delete an article', access: admin, responses: { '204': 'Deleted' } },
  { method: 'get', path: '/v1/reviews', tag: 'ai', summary: 'Sampled AI answers to review', access: roles('agent', 'supervisor'), query: reviewsListQuery, responses: { '200': 'A page of reviews' } },
  {
    method: 'post', path: '/v1/reviews/{id}', tag: 'ai', summary: 'Judge an AI answer (bad puts a person on the ticket)', access: roles('agent'),
    body: { schema: verdictBody, example: { verdict: 'bad', note: 'The answer quotes the old refund window.' } },
    responses: { '200': 'The verdict, and whether the ticket was reopened', '409': 'Already reviewed' },
  },

  // Deliveries
  { method: 'get', path: '/v1/deliveries', tag: 'admin', summary: 'Outbound deliveries to helpdesks', access: admin, query: deliveriesListQuery, responses: { '200': 'A page of deliveries' } },
  { method: 'post', path: '/v1/deliveries/{id}/retry', tag: 'admin', summary: 'Send a failed delivery again', access: admin, responses: { '202': '`{ id, status: pending }`', '409': 'Not a failed delivery' } },

  // Supervisors
  { method: 'get', path: '/v1/stats/sla', tag: 'supervisors', summary: 'SLA attainment, queue and AI figures', access: roles('supervisor'), query: SlaStatsQuery, responses: { '200': 'SLA statistics' } },
  { method: 'get', path: '/v1/stats/sla/trend', tag: 'supervisors', summary: 'SLA attainment per hour or day', access: roles('supervisor'), query: TrendQuery, responses: { '200': 'Trend points' } },
  { method: 'get', path: '/v1/stats/fairness', tag: 'supervisors', summary: 'Routing and outcome rates per customer group (four-fifths rule)', access: roles('supervisor'), query: FairnessQuery, responses: { '200': 'Groups' } },
  { method: 'get', path: '/v1/stats/skills', tag: 'supervisors', summary: 'Skills gap: demand, available agent-hours, waits, overflow and AI share per skill', access: roles('supervisor'), query: SkillsQuery, responses: { '200': 'Skills and shortages' } },
  { method: 'get', path: '/v1/stats/breaches', tag: 'supervisors', summary: 'Open tickets past or within 10 minutes of a due time', access: roles('supervisor'), query: BreachesQuery, responses: { '200': 'A page of tickets' } },
  { method: 'get', path: '/v1/sla-policies', tag: 'supervisors', summary: 'SLA targets per priority', access: roles('supervisor'), responses: { '200': 'The policies' } },
  {
    method: 'put', path: '/v1/sla-policies', tag: 'admin', summary: 'Replace the targets of some priorities', access: admin,
    description: 'At least one priority, each replaced whole; `firstResponseMinutes` must not exceed `resolutionMinutes`.',
    body: { schema: SlaPoliciesUpdateSchema, example: { urgent: { firstResponseMinutes: 15, resolutionMinutes: 240 }, normal: { firstResponseMinutes: 240, resolutionMinutes: 2880, humanRequestMinutes: 30 } } },
    responses: { '200': 'The policies' },
  },

  // Routing policies
  { method: 'get', path: '/v1/policies', tag: 'policies', summary: 'Routing policy versions, newest first; `active` marks the one in use', access: roles('supervisor'), query: pageQuery, responses: { '200': 'A page of versions' } },
  { method: 'get', path: '/v1/policies/{version}', tag: 'policies', summary: 'One routing policy version', access: roles('supervisor'), responses: { '200': 'The version' } },
  {
    method: 'post', path: '/v1/policies', tag: 'policies', summary: 'Create a draft version', access: admin,
    description: 'Fields left out of `policy` are copied from the active version. Without `version` one is generated. 409 when the version exists.',
    body: { schema: CreatePolicyBody, example: { version: 'policy-2026.12.1', note: 'Serve Italian; a complaint alone no longer forces a person', policy: { aiLanguages: ['en', 'es', 'fr', 'de', 'pt', 'it'], humanFlags: ['human_requested', 'legal_threat', 'fraud_or_security', 'safety', 'bereavement_or_health', 'privacy_request'] } } },
    responses: { '201': 'The draft' },
  },
  {
    method: 'post', path: '/v1/policies/{version}/simulate', tag: 'policies', summary: 'Replay the intake decisions of a window through this version',
    description: 'Routes, reasons and priorities, human workload per hour of day against agent capacity, four-fifths fairness per locale, tier and channel, and up to 20 tickets whose route would change, each next to what was decided at intake. Reads stored scores only (see docs/routing-policies.md).',
    access: roles('supervisor'), query: SimulateQuery, responses: { '200': 'The simulation' },
  },
  {
    method: 'post', path: '/v1/policies/{version}/activate', tag: 'policies', summary: 'Make this version the active one (audited)',
    description: 'Retires the active version in the same transaction; every process switches within seconds. Refused with 409 when a simulation over the window (default: the last 30 days) flags a fairness group the decisions actually made did not, unless `force: true` comes with a `reason`, which the audit log keeps. Activating the active version changes nothing.',
    access: admin,
    body: { schema: ActivateBody, example: { force: true, reason: 'Italian customers are served by the new Milan team; reviewed with the fairness board on 2026-11-20.' } },
    responses: { '200': 'The now active version', '409': 'The fairness guard refused (the flagged groups are in `errors`)' },
  },

  // Admin and privacy
  {
    method: 'post', path: '/v1/api-keys', tag: 'admin', summary: 'Create an API key (shown once)', access: admin,
    description: 'An `agent` key needs `agentId` (and only it may have one); a `webhook` key needs `source` (and only it may have one).',
    body: { schema: createKeySchema, example: { name: 'Zendesk production', role: 'webhook', source: 'zendesk' } },
    responses: { '201': '`{ id, key, ... }`' },
  },
  { method: 'get', path: '/v1/api-keys', tag: 'admin', summary: 'List API keys (never the keys themselves), oldest first', access: admin, query: pageQuery, responses: { '200': 'A page of keys' } },
  { method: 'delete', path: '/v1/api-keys/{id}', tag: 'admin', summary: 'Revoke a key', access: admin, responses: { '204': 'Revoked' } },
  {
    method: 'put', path: '/v1/sources/{source}', tag: 'admin', summary: "Set (or with null remove) a helpdesk's webhook signing secret", access: admin,
    body: { schema: putSourceSchema, example: { signingSecret: 'whsec_4f9a1c2e7b6d8e03' } },
    responses: { '200': '`{ source, signed, previousSecretValidUntil, updatedAt }`' },
  },
  { method: 'delete', path: '/v1/customers/{source}/{externalId}', tag: 'admin', summary: "Erase a customer's personal data", access: admin, responses: { '204': 'Erased' } },
  { method: 'get', path: '/v1/audit', tag: 'admin', summary: 'Who read or changed what, newest first', access: admin, query: auditQuery, responses: { '200': 'A page of audit entries' } },
];
