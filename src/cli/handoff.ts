#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../shared/config';
import { createPrisma, type Db } from '../shared/db/prisma';
import { uuid } from '../shared/http/validation';
import { recordAudit } from '../modules/audit/audit';
import { generateKey, hashKey } from '../modules/auth/api-keys';
import { createKeySchema } from '../modules/auth/api-keys.routes';
import { createAgentCommand, OperationError, retryFailedDeliveries, runKeyRotation, runRetention } from './operations';

// The operator's CLI: talks to the service's database directly with the service's own settings
// (DATABASE_URL etc.), so it works while the API is down. Every change is audited as actor "cli".

const CLI_ACTOR = { keyId: 'cli', role: 'admin' };

/** A failure the operator can fix: printed without a stack trace, exit code 1. */
class CliError extends Error {}

const toCliError = (e: unknown): never => {
  throw e instanceof OperationError ? new CliError(e.message) : e;
};

function print(value: unknown, json: boolean, human: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}

async function createKey(db: Db, opts: { role: string; name: string; source?: string; agentId?: string; json?: boolean }): Promise<void> {
  const parsed = createKeySchema.safeParse({ name: opts.name, role: opts.role, source: opts.source, agentId: opts.agentId });
  if (!parsed.success) throw new CliError(parsed.error.issues.map((i) => `--${i.path.join('.').replace('agentId', 'agent-id')}: ${i.message}`).join('\n'));
  const input = parsed.data;
  if (input.agentId && !(await db.agent.findUnique({ where: { id: input.agentId } }))) throw new CliError(`--agent-id: no agent ${input.agentId}`);
  const key = generateKey(input.role);
  const row = await db.$transaction(async (tx) => {
    const created = await tx.apiKey.create({ data: { name: input.name, role: input.role, agentId: input.agentId, source: input.source, keyHash: hashKey(key) } });
    await recordAudit(tx, CLI_ACTOR, 'api_key.create', 'api_key', created.id, { role: input.role, name: input.name });
    return created;
  });
  const out = { id: row.id, name: row.name, role: row.role, source: row.source, agentId: row.agentId, key };
  print(out, !!opts.json, () => `Created ${row.role} key ${row.id} (${row.name}).\nKey (shown once, store it now): ${key}`);
}

async function revokeKey(db: Db, id: string, opts: { json?: boolean }): Promise<void> {
  if (!uuid.safeParse(id).success) throw new CliError(`No API key ${id}.`);
  const revokedAt = await db.$transaction(async (tx) => {
    const row = await tx.apiKey.findUnique({ where: { id } });
    if (!row) throw new CliError(`No API key ${id}.`);
    if (row.revokedAt) return row.revokedAt;
    const now = new Date();
    await tx.apiKey.update({ where: { id }, data: { revokedAt: now } });
    await recordAudit(tx, CLI_ACTOR, 'api_key.revoke', 'api_key', id, { role: row.role });
    return now;
  });
  // Running API processes cache key lookups for a few seconds (see resolveKey).
  print({ id, revokedAt: revokedAt.toISOString() }, !!opts.json, () => `Revoked key ${id} (effective within 5 seconds).`);
}

async function listKeys(db: Db, opts: { json?: boolean }): Promise<void> {
  const rows = await db.apiKey.findMany({ orderBy: { createdAt: 'asc' } });
  const items = rows.map((k) => ({ id: k.id, name: k.name, role: k.role, source: k.source, agentId: k.agentId, createdAt: k.createdAt.toISOString(), revokedAt: k.revokedAt?.toISOString() ?? null }));
  print(items, !!opts.json, () =>
    items.map((k) => `${k.id}  ${k.role.padEnd(10)} ${k.revokedAt ? 'revoked ' : 'active  '} ${k.name}${k.source ? `  source=${k.source}` : ''}${k.agentId ? `  agent=${k.agentId}` : ''}`).join('\n') || 'No keys.',
  );
}

const reasonsOf = (r: unknown) => z.array(z.object({ code: z.string(), detail: z.string().optional() })).catch([]).parse(r);

/** The decision trail of a ticket: every decision with its scores, flags and reasons, and every event. No personal data. */
async function showTicket(db: Db, ref: string, opts: { json?: boolean }): Promise<void> {
  const slash = ref.indexOf('/');
  const where = uuid.safeParse(ref).success
    ? { id: ref }
    : slash > 0
      ? { source_externalId: { source: ref.slice(0, slash), externalId: ref.slice(slash + 1) } }
      : undefined;
  if (!where) throw new CliError(`"${ref}" is neither a ticket id nor SOURCE/EXTERNAL_ID (e.g. zendesk/35436).`);
  const t = await db.ticket.findUnique({
    where,
    include: { decisions: { orderBy: { createdAt: 'asc' } }, events: { orderBy: { createdAt: 'asc' } } },
  });
  if (!t) throw new CliError(`No ticket ${ref}.`);
  const trail = {
    id: t.id,
    source: t.source,
    externalId: t.externalId,
    status: t.status,
    route: t.route,
    priority: t.priority,
    assignedAgentId: t.assignedAgentId,
    firstResponseDueAt: t.firstResponseDueAt?.toISOString() ?? null,
    resolutionDueAt: t.resolutionDueAt?.toISOString() ?? null,
    decisions: t.decisions.map((d) => ({
      at: d.createdAt.toISOString(),
      trigger: d.trigger,
      route: d.route,
      priority: d.priority,
      sentiment: d.sentiment,
      complexity: d.complexity,
      flags: d.flags,
      reasons: reasonsOf(d.reasons),
      language: d.language,
      scorerVersion: d.scorerVersion,
      policyVersion: d.policyVersion,
    })),
    events: t.events.map((e) => ({ at: e.createdAt.toISOString(), type: e.type, agentId: e.agentId, data: e.data })),
  };
  print(trail, !!opts.json, () => {
    const lines = [
      `Ticket ${t.id} (${t.source}/${t.externalId})`,
      `  now: ${t.status}, route ${t.route}, priority ${t.priority}${t.assignedAgentId ? `, agent ${t.assignedAgentId}` : ''}`,
      `  due: first response ${trail.firstResponseDueAt ?? '-'}, resolution ${trail.resolutionDueAt ?? '-'}`,
      'Decisions:',
      ...trail.decisions.flatMap((d) => [
        `  ${d.at}  ${d.trigger.padEnd(9)} → ${d.route} (${d.priority})  sentiment ${d.sentiment.toFixed(2)}, complexity ${d.complexity.toFixed(2)}, ${d.language}` +
          `${d.flags.length ? `, flags ${d.flags.join(',')}` : ''}  [scorer ${d.scorerVersion}, policy ${d.policyVersion}]`,
        ...d.reasons.map((r) => `      ${r.code}${r.detail ? `: ${r.detail}` : ''}`),
      ]),
      'Events:',
      ...trail.events.map((e) => `  ${e.at}  ${e.type}${e.agentId ? ` agent ${e.agentId}` : ''}${e.data && Object.keys(e.data).length ? `  ${JSON.stringify(e.data)}` : ''}`),
    ];
    return lines.join('\n');
  });
}

/** Builds the command tree; `run` opens the database only for the command that needs it. */
function program(run: (fn: (db: Db) => Promise<void>) => Promise<void>): Command {
  const cli = new Command('handoff').description('Operate a Handoff installation (uses the same environment variables as the service).').exitOverride();
  const keys = cli.command('keys').description('API keys');
  keys
    .command('create')
    .description('create an API key; the key is printed once')
    .requiredOption('--role <role>', 'admin | webhook | agent | supervisor')
    .requiredOption('--name <name>', 'who or what uses the key')
    .option('--source <source>', 'for webhook keys: the helpdesk source it may post for')
    .option('--agent-id <id>', 'for agent keys: the agent it acts as')
    .option('--json', 'print JSON')
    .action((opts) => run((db) => createKey(db, opts)));
  keys
    .command('revoke <id>')
    .description('revoke an API key')
    .option('--json', 'print JSON')
    .action((id, opts) => run((db) => revokeKey(db, id, opts)));
  keys
    .command('list')
    .description('list API keys (never the secrets)')
    .option('--json', 'print JSON')
    .action((opts) => run((db) => listKeys(db, opts)));
  cli
    .command('agents-create')
    .description('create an agent (offline until it sets itself available)')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--email <email>', 'work email')
    .option('--skills <list>', 'comma-separated skills, e.g. billing,technical')
    .option('--languages <list>', 'comma-separated ISO 639-1 codes', 'en')
    .option('--capacity <n>', 'concurrent tickets')
    .option('--json', 'print JSON')
    .action((opts) =>
      run(async (db) => {
        const agent = await createAgentCommand(db, opts).catch(toCliError);
        print(agent, !!opts.json, () => `Created agent ${agent.id} (${agent.name}), status ${agent.status}.`);
      }),
    );
  cli
    .command('deliveries-retry')
    .description('send failed deliveries again (all, or one with --id); a running worker picks them up')
    .option('--id <id>', 'one delivery')
    .option('--json', 'print JSON')
    .action((opts) =>
      run(async (db) => {
        if (opts.id && !uuid.safeParse(opts.id).success) throw new CliError(`No delivery ${opts.id}.`);
        const count = await retryFailedDeliveries(db, opts.id);
        print({ retried: count }, !!opts.json, () => `${count} failed deliver${count === 1 ? 'y' : 'ies'} queued again.`);
      }),
    );
  cli
    .command('retention')
    .description("erase personal data of tickets resolved more than RETENTION_DAYS (or --days) ago")
    .option('--days <n>', 'override RETENTION_DAYS for this run')
    .option('--json', 'print JSON')
    .action((opts) =>
      run(async (db) => {
        const r = await runRetention(db, opts.days).catch(toCliError);
        print(r, !!opts.json, () => `Erased personal data of ${r.tickets} tickets and ${r.customers} customers older than ${r.days} days.`);
      }),
    );
  cli
    .command('rotate-key')
    .description('re-encrypt personal data under the first key of PII_ENCRYPTION_KEY (resumable)')
    .option('--batch-size <n>', 'rows per batch', '500')
    .option('--json', 'print JSON')
    .action((opts) =>
      run(async (db) => {
        const r = await runKeyRotation(db, Number(opts.batchSize));
        print(r, !!opts.json, () => (r.remaining === 0 ? `Rotation to ${r.activeKeyId} complete: older keys may be removed.` : `${r.remaining} values still under older keys: run again.`));
        if (r.remaining > 0) throw new CliError('rotation incomplete');
      }),
    );
  cli
    .command('ticket <ref>')
    .description("show a ticket's decision trail: decisions, reasons and events (REF is an id or SOURCE/EXTERNAL_ID)")
    .option('--json', 'print JSON')
    .action((ref, opts) => run((db) => showTicket(db, ref, opts)));
  return cli;
}

async function main(argv: string[]): Promise<number> {
  let db: Db | undefined;
  const run = async (fn: (db: Db) => Promise<void>) => {
    const config = loadConfig();
    db = createPrisma(config.databaseUrl, 2);
    await fn(db);
  };
  try {
    await program(run).parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (e instanceof CliError || e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    process.stderr.write(`handoff: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  } finally {
    await db?.$disconnect();
  }
}

void main(process.argv).then((code) => {
  process.exitCode = code;
});
