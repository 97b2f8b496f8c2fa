import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Deps } from './shared/deps';
import { AppError } from './shared/errors/app-error';
import { errorHandler } from './shared/errors/error-handler';
import { healthRouter } from './shared/http/health.routes';
import { httpMetrics, metricsRouter } from './shared/http/metrics.routes';
import { parseJson, rejectDangerousJson, requireJson } from './shared/http/json-body';
import { rateLimits } from './shared/http/rate-limit';
import { requestLog } from './shared/http/request-log';
import { inOrder } from './shared/http/in-order';
import { authenticate, recogniseKnownKey } from './modules/auth/authenticate';
import { apiKeysRouter } from './modules/auth/api-keys.routes';
import { intakeRouter } from './modules/intake/intake.routes';
import { webhooksRouter } from './modules/intake/adapters/webhooks.routes';
import { queueBoardRouter } from './modules/admin/queue-board.routes';
import { ticketsRouter } from './modules/tickets/tickets.routes';
import { kbRouter, reviewsRouter } from './modules/ai';
import { deliveriesRouter } from './modules/delivery';
import { sourcesRouter } from './modules/sources';
import { customersRouter } from './modules/privacy/customers.routes';
import { auditRouter } from './modules/audit';
import { policiesRouter } from './modules/policies';
import { agentsRouter, ticketWorkRouter } from './modules/agents';
import { slaRouter } from './modules/sla';
import { statsRouter } from './modules/stats';
import { dashboardRouter } from './modules/dashboard';
import { docsRouter } from './modules/docs';

/** The HTTP API without listening, so tests and main.ts share exactly the same app. */
export function buildApp(deps: Deps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Express hashes every response body for an ETag; API answers are per request and no client sends
  // If-None-Match, so that is a SHA-1 per request for nothing. Static assets keep theirs (serve-static).
  app.set('etag', false);
  app.set('trust proxy', 'loopback');
  app.use(inOrder(httpMetrics(), requestLog(deps.logger), helmet()));

  const { redis, config } = deps;
  // Per IP a looser budget than per key: one helpdesk may send for several keys from one address.
  const limits = rateLimits(
    redis,
    config.queuePrefix,
    { perIpPerMinute: config.rateLimitPerMinute * 10, perKeyPerMinute: config.rateLimitPerMinute },
    (req) => `ip:${req.ip}`,
    (req) => `key:${req.principal!.keyId}`,
  );
  app.use(
    '/v1',
    inOrder(
      recogniseKnownKey(config.adminApiKey),
      limits.beforeAuth,
      authenticate(deps.pool, config.adminApiKey),
      limits.afterAuth,
      requireJson,
      parseJson(config.bodyLimitBytes),
      rejectDangerousJson,
    ),
  );
  // Routers are mounted without path prefixes, so a request tests the route patterns of every router
  // before the one that serves it: the hot paths (intake, webhooks, claims and ticket work) go first.
  app.use(intakeRouter(deps));
  app.use(webhooksRouter(deps));
  app.use(agentsRouter(deps));
  app.use(ticketWorkRouter(deps));
  app.use(ticketsRouter(deps));
  app.use(apiKeysRouter(deps));
  app.use(kbRouter(deps));
  app.use(reviewsRouter(deps));
  app.use(deliveriesRouter(deps));
  app.use(sourcesRouter(deps));
  app.use(customersRouter(deps));
  app.use(auditRouter(deps));
  app.use(slaRouter(deps));
  app.use(statsRouter(deps));
  app.use(policiesRouter(deps));

  app.use(healthRouter(deps));
  app.use(dashboardRouter());
  app.use(docsRouter());
  // Outside /v1: scrapers and browsers authenticate their own way (see docs/operations.md).
  app.use(metricsRouter(deps));
  app.use(queueBoardRouter(deps));

  app.use((req) => {
    throw new AppError('NOT_FOUND', `No route for ${req.method} ${req.path}.`);
  });
  app.use(errorHandler(deps.logger));
  return app;
}
