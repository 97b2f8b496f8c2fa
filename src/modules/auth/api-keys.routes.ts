import { Router } from 'express';
import { z } from 'zod';
import type { Deps } from '../../shared/deps';
import { AppError, notFound } from '../../shared/errors/app-error';
import { afterCursor, decodeCursor, encodeCursor, identifier, pageQuery, sourceName, uuid } from '../../shared/http/validation';
import { recordAudit } from '../audit/audit';
import { forgetCachedKeys, generateKey, hashKey } from './api-keys';
import { requireRole } from './authenticate';
import { ROLES } from './principal';

/** The one shape of a new key, for the API and the operator CLI alike. */
export const createKeySchema = z
  .object({
    name: identifier(200),
    role: z.enum(ROLES),
    agentId: uuid.optional(),
    // Intake's rule: a key for a source intake would refuse could never post.
    source: sourceName.optional(),
  })
  .strict()
  // Runs after a field's own failure too: an id given but invalid is reported once, by its field's rule.
  .superRefine((k, ctx) => {
    if (k.role === 'agent' && k.agentId === undefined) ctx.addIssue({ code: 'custom', path: ['agentId'], message: 'is required for an agent key' });
    if (k.role === 'webhook' && k.source === undefined) ctx.addIssue({ code: 'custom', path: ['source'], message: 'is required for a webhook key' });
    if (k.role !== 'agent' && k.agentId) ctx.addIssue({ code: 'custom', path: ['agentId'], message: 'only agent keys are bound to an agent' });
    if (k.role !== 'webhook' && k.source) ctx.addIssue({ code: 'custom', path: ['source'], message: 'only webhook keys are bound to a source' });
  });

const view = (k: { id: string; name: string; role: string; agentId: string | null; source: string | null; createdAt: Date; revokedAt: Date | null }) => ({
  id: k.id,
  name: k.name,
  role: k.role,
  agentId: k.agentId,
  source: k.source,
  createdAt: k.createdAt.toISOString(),
  revokedAt: k.revokedAt?.toISOString() ?? null,
});

export function apiKeysRouter(deps: Deps): Router {
  const router = Router();
  router.use('/v1/api-keys', requireRole());

  router.post('/v1/api-keys', async (req, res) => {
    const input = createKeySchema.parse(req.body);
    if (input.agentId && !(await deps.db.agent.findUnique({ where: { id: input.agentId } }))) {
      throw new AppError('VALIDATION_FAILED', 'The agent does not exist.', { errors: [{ path: 'agentId', message: 'no agent with this id' }] });
    }
    const key = generateKey(input.role);
    const row = await deps.db.$transaction(async (tx) => {
      const created = await tx.apiKey.create({
        data: { name: input.name, role: input.role, agentId: input.agentId, source: input.source, keyHash: hashKey(key) },
      });
      await recordAudit(tx, req.principal!, 'api_key.create', 'api_key', created.id, { role: input.role, name: input.name });
      return created;
    });
    // The key itself is shown this once; only its hash is stored.
    res.status(201).json({ ...view(row), key });
  });

  router.get('/v1/api-keys', async (req, res) => {
    const q = pageQuery.parse(req.query);
    const after = decodeCursor(q.cursor);
    const rows = await deps.db.apiKey.findMany({
      where: afterCursor(after),
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    res.json({ items: page.map(view), nextCursor: rows.length > q.limit ? encodeCursor(page[page.length - 1].createdAt, page[page.length - 1].id) : null });
  });

  router.delete('/v1/api-keys/:id', async (req, res) => {
    if (!uuid.safeParse((req.params.id as string)).success) throw notFound('API key');
    await deps.db.$transaction(async (tx) => {
      const row = await tx.apiKey.findUnique({ where: { id: (req.params.id as string) } });
      if (!row) throw notFound('API key');
      if (!row.revokedAt) {
        await tx.apiKey.update({ where: { id: row.id }, data: { revokedAt: new Date() } });
        await recordAudit(tx, req.principal!, 'api_key.revoke', 'api_key', row.id, { role: row.role });
      }
    });
    forgetCachedKeys();
    res.status(204).end();
  });

  return router;
}
