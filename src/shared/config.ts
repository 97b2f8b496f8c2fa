import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { z } from 'zod';

const csv = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

const Env = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  // 3000 per the contract; 0 picks a free port (tests).
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.string().url().default('postgresql://postgres@127.0.0.1:5432/handoff'),
  // Connections of each of a process's two pools (Prisma's, and the plain pg pool of the hot paths: intake, claims).
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  // Bootstraps access: the only key that does not live in the database.
  ADMIN_API_KEY: z.string().min(16).optional(),
  // 32 bytes base64, or "id:base64,id:base64" with the active key first (rotation).
  PII_ENCRYPTION_KEY: z.string().min(1).optional(),
  ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  // Hash-tag it ("{handoff}") to run BullMQ on Redis Cluster.
  QUEUE_PREFIX: z.string().min(1).default('handoff'),
  AI_PROVIDER: z.enum(['kb', 'openai']).default('kb'),
  OPENAI_BASE_URL: z.string().url().default('https://api.openai.com/v1'),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_MODEL: z.string().default('gpt-4o-mini'),
  OPENAI_TIMEOUT_MS: z.coerce.number().int().positive().default(20_000),
  // Below this the AI's answer is kept as a draft for an agent instead of being sent.
  AI_MIN_CONFIDENCE: z.coerce.number().min(0).max(1).default(0.55),
  // Share of confident AI answers a person reviews at random (quality sampling).
  AI_REVIEW_SAMPLE_RATE: z.coerce.number().min(0).max(1).default(0.05),
  // Answers this close above AI_MIN_CONFIDENCE are always reviewed: that is where the threshold errs.
  AI_REVIEW_NEAR_MARGIN: z.coerce.number().min(0).max(1).default(0.1),
  // First retry delay of a failed provider call; doubles per attempt.
  // How long a worker's hold on a job lasts without renewal: a killed worker's job returns to the
  // queue after about this long (BullMQ stalled-job recovery).
  JOB_LOCK_MS: z.coerce.number().int().min(1_000).default(30_000),
  AI_RETRY_DELAY_MS: z.coerce.number().int().positive().default(2_000),
  // Helpdesks go down for minutes; attempts with doubling delays cover roughly an hour by default.
  DELIVERY_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  DELIVERY_RETRY_DELAY_MS: z.coerce.number().int().positive().default(15_000),
  // A callback that does not answer in time counts as a failed attempt.
  DELIVERY_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  // Languages the AI answers in; others go to people.
  AI_LANGUAGES: csv('en,es,fr,de,pt'),
  // Hosts or CIDR ranges callbacks may target although private or loopback (SSRF guard).
  CALLBACK_ALLOWED_HOSTS: csv(''),
  // Per API key (or per IP without one). A busy helpdesk posts far fewer than this.
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(6000),
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(64 * 1024),
  // After a source's signing secret is replaced, the previous one stays valid this long so the
  // helpdesk can switch over without dropping webhooks (0: the old secret dies at once).
  SIGNING_SECRET_OVERLAP_SECONDS: z.coerce.number().int().min(0).default(24 * 3600),
  // Resolved tickets keep their personal data this many days, then the retention job erases it (0: never).
  RETENTION_DAYS: z.coerce.number().int().min(0).default(365),
  // How often the retention job looks for expired tickets.
  RETENTION_INTERVAL_MS: z.coerce.number().int().positive().default(3_600_000),
  ROUTING_NEGATIVE_SENTIMENT: z.coerce.number().min(-1).max(1).optional(),
  ROUTING_HIGH_COMPLEXITY: z.coerce.number().min(0).max(1).optional(),
  // How often each process re-reads the active routing policy, in case an activation notice was lost.
  POLICY_REFRESH_MS: z.coerce.number().int().min(100).default(5_000),
  WORKER_CONCURRENCY: z.coerce.number().int().positive().default(5),
  // How often ai_queued tickets without a live job are re-enqueued (Redis outage recovery).
  SWEEP_INTERVAL_MS: z.coerce.number().int().positive().default(15_000),
  // An assigned ticket whose customer has waited this long for the agent's reply goes back to the queue.
  AGENT_REPLY_TIMEOUT_SECONDS: z.coerce.number().int().positive().default(15 * 60),
  // How often the stuck-work sweep looks for such tickets; it is safe in several processes at once.
  ASSIGNMENT_SWEEP_INTERVAL_MS: z.coerce.number().int().positive().default(30_000),
  // Aging: each full step a ticket waits past its first-response due time raises its claim priority one level.
  CLAIM_AGING_STEP_MINUTES: z.coerce.number().positive().default(30),
  // Overflow: a ticket waiting this long for an agent with its exact skills is offered to agents with its language only.
  CLAIM_OVERFLOW_AFTER_MINUTES: z.coerce.number().nonnegative().default(10),
  // Retry-After of a 204 claim: how long agents' tools wait before polling again.
  CLAIM_RETRY_AFTER_SECONDS: z.coerce.number().int().positive().default(5),
  // Wellbeing: at most this many high-distress tickets in a row per agent while another agent could take them.
  AGENT_DISTRESS_STREAK_LIMIT: z.coerce.number().int().positive().default(3),
  // Where sla.breached events go (a supervisors' chat or paging hook); unset = no outbound events.
  SUPERVISOR_WEBHOOK_URL: z.string().url().optional(),
  // Signs those events like every outbound delivery; the receiver verifies them.
  SUPERVISOR_WEBHOOK_SECRET: z.string().min(16).optional(),
  // How often the breach watcher looks for missed due times: the lag between a breach and its alert.
  SLA_WATCH_INTERVAL_MS: z.coerce.number().int().min(100).default(30_000),
  // Fairness groups smaller than this are reported but never flagged: small samples swing too much.
  FAIRNESS_MIN_GROUP_SIZE: z.coerce.number().int().min(1).default(30),
  // How often the stats rollup rebuilds changed and newly ended days; between runs those days are read live.
  STATS_ROLLUP_INTERVAL_MS: z.coerce.number().int().min(1000).default(60_000),
  // Windows with at most this many tickets get exact percentiles (sorted in Postgres); larger ones read
  // log-scale histograms from the rollup (relative error under 5 %).
  STATS_EXACT_MAX_TICKETS: z.coerce.number().int().min(0).default(20_000),
  // Applies migrations and seeds on start; turn off when a deploy step does it instead.
  DB_AUTO_MIGRATE: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  // GET /metrics for Prometheus. On by default: it holds counts only, no personal data.
  METRICS_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  // When set, scrapers must send it as a bearer token; leave unset only where the port is private.
  METRICS_TOKEN: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(16).optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Where development-only generated secrets are kept.
  DATA_DIR: z.string().default('.handoff'),
});

export type Config = ReturnType<typeof buildConfig>;

function buildConfig(env: z.infer<typeof Env>, secrets: { adminApiKey: string; piiEncryptionKey: string }) {
  return Object.freeze({
    env: env.NODE_ENV,
    port: env.PORT,
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    redisUrl: env.REDIS_URL,
    adminApiKey: secrets.adminApiKey,
    piiEncryptionKey: secrets.piiEncryptionKey,
    role: env.ROLE,
    queuePrefix: env.QUEUE_PREFIX,
    ai: Object.freeze({
      provider: env.AI_PROVIDER,
      minConfidence: env.AI_MIN_CONFIDENCE,
      languages: env.AI_LANGUAGES,
      reviewSampleRate: env.AI_REVIEW_SAMPLE_RATE,
      reviewNearMargin: env.AI_REVIEW_NEAR_MARGIN,
      retryDelayMs: env.AI_RETRY_DELAY_MS,
      openai: Object.freeze({
        baseUrl: env.OPENAI_BASE_URL,
        apiKey: env.OPENAI_API_KEY,
        model: env.OPENAI_MODEL,
        timeoutMs: env.OPENAI_TIMEOUT_MS,
      }),
    }),
    routing: Object.freeze({
      negativeSentiment: env.ROUTING_NEGATIVE_SENTIMENT,
      highComplexity: env.ROUTING_HIGH_COMPLEXITY,
      policyRefreshMs: env.POLICY_REFRESH_MS,
    }),
    agents: Object.freeze({
      replyTimeoutSeconds: env.AGENT_REPLY_TIMEOUT_SECONDS,
      sweepIntervalMs: env.ASSIGNMENT_SWEEP_INTERVAL_MS,
      agingStepMinutes: env.CLAIM_AGING_STEP_MINUTES,
      overflowAfterMinutes: env.CLAIM_OVERFLOW_AFTER_MINUTES,
      claimRetryAfterSeconds: env.CLAIM_RETRY_AFTER_SECONDS,
      distressStreakLimit: env.AGENT_DISTRESS_STREAK_LIMIT,
    }),
    callbackAllowedHosts: env.CALLBACK_ALLOWED_HOSTS,
    delivery: Object.freeze({
      attempts: env.DELIVERY_ATTEMPTS,
      retryDelayMs: env.DELIVERY_RETRY_DELAY_MS,
      timeoutMs: env.DELIVERY_TIMEOUT_MS,
    }),
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    signingSecretOverlapSeconds: env.SIGNING_SECRET_OVERLAP_SECONDS,
    retentionDays: env.RETENTION_DAYS,
    retentionIntervalMs: env.RETENTION_INTERVAL_MS,
    workerConcurrency: env.WORKER_CONCURRENCY,
    jobLockMs: env.JOB_LOCK_MS,
    sweepIntervalMs: env.SWEEP_INTERVAL_MS,
    sla: Object.freeze({
      watchIntervalMs: env.SLA_WATCH_INTERVAL_MS,
      supervisorWebhookUrl: env.SUPERVISOR_WEBHOOK_URL,
      supervisorWebhookSecret: env.SUPERVISOR_WEBHOOK_SECRET,
    }),
    fairnessMinGroupSize: env.FAIRNESS_MIN_GROUP_SIZE,
    stats: Object.freeze({ rollupIntervalMs: env.STATS_ROLLUP_INTERVAL_MS, exactMaxTickets: env.STATS_EXACT_MAX_TICKETS }),
    dbAutoMigrate: env.DB_AUTO_MIGRATE,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    logLevel: env.LOG_LEVEL,
    metrics: Object.freeze({ enabled: env.METRICS_ENABLED, token: env.METRICS_TOKEN }),
  });
}

export class ConfigError extends Error {}

/**
 * Parses the environment once at start-up. Outside production a missing admin key or PII key is
 * generated once and kept in DATA_DIR, so `npm start` works with no set-up; production refuses.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  if (env.NODE_ENV === 'production' && (!env.ADMIN_API_KEY || !env.PII_ENCRYPTION_KEY)) {
    throw new ConfigError('ADMIN_API_KEY and PII_ENCRYPTION_KEY must be set in production.');
  }
  const needsDevSecrets = !env.ADMIN_API_KEY || !env.PII_ENCRYPTION_KEY;
  const dev = needsDevSecrets ? loadDevSecrets(env.DATA_DIR) : undefined;
  return buildConfig(env, {
    adminApiKey: env.ADMIN_API_KEY ?? dev!.adminApiKey,
    piiEncryptionKey: env.PII_ENCRYPTION_KEY ?? dev!.piiEncryptionKey,
  });
}

/** Path of the generated development secrets, so start-up can tell the operator where the admin key is. */
export function devSecretsPath(dataDir = process.env.DATA_DIR ?? '.handoff'): string {
  return path.resolve(dataDir, 'dev-secrets.json');
}

function loadDevSecrets(dataDir: string): { adminApiKey: string; piiEncryptionKey: string } {
  const file = devSecretsPath(dataDir);
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8'));
  const secrets = {
    adminApiKey: `hk_admin_${crypto.randomBytes(24).toString('base64url')}`,
    piiEncryptionKey: crypto.randomBytes(32).toString('base64'),
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // wx: two instances starting at once must not overwrite each other's key.
  try {
    fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return JSON.parse(fs.readFileSync(file, 'utf8'));
    throw e;
  }
  return secrets;
}
