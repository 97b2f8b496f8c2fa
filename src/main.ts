import type { Server } from 'node:http';
import { buildApp } from './app';
import { ConfigError, devSecretsPath, loadConfig } from './shared/config';
import { createLogger } from './shared/logger';
import { setupDatabase } from './shared/db/setup-database';
import { seedDatabase } from './shared/db/seed';
import { createDeps } from './shared/runtime';
import { registerShutdown } from './shared/lifecycle/shutdown';
import { startWorkers } from './workers';
import { configuredPolicy } from './modules/policies';
import { DEFAULT_POLICY } from './modules/routing';

/** One process: the API, the workers, or both (ROLE), against shared Postgres and Redis. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  const logger = createLogger(config.logLevel);
  if (!process.env.ADMIN_API_KEY) logger.warn({ file: devSecretsPath() }, 'ADMIN_API_KEY not set: using a generated development key kept in this file');

  if (config.dbAutoMigrate) {
    await setupDatabase(config.databaseUrl, logger);
  }
  const deps = createDeps(config, logger);
  const configured = configuredPolicy(config);
  if (config.dbAutoMigrate) await seedDatabase(deps.db, logger, configured);
  // Decisions must name the version that is really active, from the first request on.
  await deps.policies.refresh();
  const active = deps.policies.current().version;
  if (configured.version !== DEFAULT_POLICY.version && active !== configured.version) {
    logger.warn({ configured: configured.version, active }, 'ROUTING_* and AI_LANGUAGES only seed the first routing policy; the active version is managed with /v1/policies');
  }

  let server: Server | undefined;
  const workers = config.role === 'api' ? undefined : await startWorkers(deps);
  if (config.role !== 'worker') {
    const app = buildApp(deps);
    server = app.listen(config.port, () => logger.info({ port: config.port, role: config.role }, 'handoff listening'));
    server.keepAliveTimeout = 65_000;
  } else {
    logger.info({ role: config.role }, 'handoff workers running');
  }

  registerShutdown(logger, config.shutdownTimeoutMs, [
    {
      name: 'http',
      run: () =>
        new Promise<void>((resolve) => {
          if (!server) return resolve();
          // close() stops accepting and waits for in-flight requests; idle keep-alive sockets would
          // hold it open forever, so they are closed now and as they become idle.
          server.close(() => resolve());
          server.closeIdleConnections();
          const idle = setInterval(() => server!.closeIdleConnections(), 100);
          server.once('close', () => clearInterval(idle));
        }),
    },
    { name: 'workers', run: () => workers?.close() },
    { name: 'connections', run: () => deps.close() },
  ]);
}

void main().catch((err) => {
  console.error('handoff failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
