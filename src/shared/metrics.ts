import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

// One registry per process, served at GET /metrics. Label values are always from small fixed sets
// (route patterns, reason codes, queue names): never ids or anything a customer wrote.

/** The process's metrics registry (its own, so tests and libraries never collide on the global one). */
export const registry = new Registry();
registry.setDefaultLabels({ service: 'handoff' });
collectDefaultMetrics({ register: registry });

/** Every HTTP request by Express route pattern (not the raw path) and status. */
export const httpRequests = new Counter({
  name: 'handoff_http_requests_total',
  help: 'HTTP requests by method, route pattern and status code.',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
});

export const httpDuration = new Histogram({
  name: 'handoff_http_request_duration_seconds',
  help: 'HTTP request duration by method, route pattern and status code.',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

/** Intake and follow-up routing decisions: one increment per reason, so a decision with two reasons counts under both. */
export const routingDecisions = new Counter({
  name: 'handoff_routing_decisions_total',
  help: 'Routing decisions by trigger (intake, follow_up), route (ai, human) and reason code.',
  labelNames: ['trigger', 'route', 'reason'] as const,
  registers: [registry],
});

/** Jobs per queue and state, read from Redis on each scrape. */
export const queueJobs = new Gauge({
  name: 'handoff_queue_jobs',
  help: 'Jobs per BullMQ queue and state (waiting, active, delayed, failed, completed), read at scrape time.',
  labelNames: ['queue', 'state'] as const,
  registers: [registry],
});

/** 1 when the last scrape could read the queues from Redis, 0 when it could not. */
export const queueScrapeUp = new Gauge({
  name: 'handoff_queue_scrape_up',
  help: '1 if queue depths could be read from Redis at the last scrape, else 0.',
  registers: [registry],
});

/** A worker's final word on a job: completed, failed (will retry), or exhausted (gave up). */
export const jobOutcomes = new Counter({
  name: 'handoff_job_outcomes_total',
  help: 'Finished job attempts per queue and outcome (completed, failed, exhausted).',
  labelNames: ['queue', 'outcome'] as const,
  registers: [registry],
});

/** The AI provider's confidence in each answer it produced, whether sent or kept as a draft. */
export const aiConfidence = new Histogram({
  name: 'handoff_ai_confidence',
  help: 'Confidence of AI answers by provider and outcome (sent, draft).',
  labelNames: ['provider', 'outcome'] as const,
  buckets: [0.1, 0.2, 0.3, 0.4, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9, 1],
  registers: [registry],
});

/**
 * Scoring runs on the event loop, so every request behind it waits this long: the figure to watch when
 * a lexicon grows. Timed in the server rather than read off a benchmark loop, where the lexicons stay in
 * the CPU's caches and scoring reads less than it costs among a server's other work.
 */
export const scoringDuration = new Histogram({
  name: 'handoff_scoring_duration_seconds',
  help: 'Time spent scoring one customer message (flags, topics, language, complexity, sentiment), by trigger (intake, follow_up).',
  labelNames: ['trigger'] as const,
  buckets: [0.00005, 0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01],
  registers: [registry],
});

/** How long a ticket waited in the human queue before an agent claimed it (queuedAt to assignedAt). */
export const claimLatency = new Histogram({
  name: 'handoff_claim_latency_seconds',
  help: 'Seconds a ticket waited in the human queue before an agent claimed it, by priority.',
  labelNames: ['priority'] as const,
  buckets: [10, 30, 60, 300, 900, 1800, 3600, 4 * 3600, 8 * 3600, 24 * 3600],
  registers: [registry],
});

export const slaBreaches = new Counter({
  name: 'handoff_sla_breaches_total',
  help: 'SLA breaches detected, by kind (first_response, resolution) and priority.',
  labelNames: ['kind', 'priority'] as const,
  registers: [registry],
});

export const deliveryFailures = new Counter({
  name: 'handoff_delivery_failures_total',
  help: 'Failed callback deliveries by outcome (retrying, exhausted).',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

/** Counts a routing decision under each of its reasons; the one call site per decision. */
export function countDecision(trigger: 'intake' | 'follow_up', decision: { route: string; reasons: readonly { code: string }[] }): void {
  for (const r of decision.reasons) routingDecisions.inc({ trigger, route: decision.route, reason: r.code });
}
