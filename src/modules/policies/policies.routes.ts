import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import type { Deps } from '../../shared/deps';
import { isUniqueViolation } from '../../shared/db/prisma';
import { AppError, conflict, notFound } from '../../shared/errors/app-error';
import { invalidCursor, pageQuery } from '../../shared/http/validation';
import { requireRole } from '../auth/authenticate';
import { recordAudit } from '../audit';
import { FAIRNESS_ATTRIBUTES, FOUR_FIFTHS } from '../stats';
import { PolicyDocument, documentOf, policyOf } from './policy-document';
import { findActivePolicyRow, findPolicy, listPolicies, switchActivePolicy, type PolicyRow } from './policy.repository';
import { ActivateBody, CreatePolicyBody, SimulateQuery } from './policies.schema';
import { simulatePolicy, type SimulationResult } from './simulate-policy';

const view = (p: PolicyRow) => ({
  version: p.version,
  status: p.status,
  active: p.status === 'active',
  policy: p.document,
  note: p.note,
  createdBy: p.createdBy,
  createdAt: p.createdAt.toISOString(),
  activatedAt: p.activatedAt?.toISOString() ?? null,
  retiredAt: p.retiredAt?.toISOString() ?? null,
});

// Versions are not uuids, so this list has its own cursor over (createdAt, version).
const encodeCursor = (p: PolicyRow) => Buffer.from(`${p.createdAt.toISOString()}|${p.version}`).toString('base64url');
function decodeCursor(cursor: string | undefined): { createdAt: Date; version: string } | undefined {
  if (!cursor) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const cut = text.indexOf('|');
  const createdAt = new Date(text.slice(0, cut));
  if (cut < 0 || Number.isNaN(createdAt.getTime()) || cut === text.length - 1) throw invalidCursor();
  return { createdAt, version: text.slice(cut + 1) };
}

/** Groups the candidate would flag under the four-fifths rule that the decisions actually made did not. */
function newFairnessFlags(result: SimulationResult): { path: string; message: string }[] {
  return FAIRNESS_ATTRIBUTES.flatMap((attribute) =>
    result.fairness.attributes[attribute].groups
      .filter((g) => g.simulated.flagged && !g.actual.flagged)
      .map((g) => ({
        path: `fairness.${attribute}.${g.key}`,
        message: `AI share ${g.simulated.aiShare} is ${g.simulated.ratio} of the best group's (under ${FOUR_FIFTHS}); it was ${g.actual.aiShare} (ratio ${g.actual.ratio})`,
      })),
  );
}

/**
 * Routing policies as versioned data: supervisors read and simulate them, admins write drafts and
 * activate them. Activation is audited and reaches every process through the policy holder.
 */
export function policiesRouter(deps: Deps): Router {
  const router = Router();
  const supervisor = requireRole('supervisor');
  const admin = requireRole();
  const byVersion = async (version: string) => {
    const found = await findPolicy(deps.db, version);
    if (!found) throw notFound(`Policy version '${version}'`);
    return found;
  };
  const simulate = (row: PolicyRow, window: { from: Date; to: Date }) =>
    simulatePolicy(deps.pool, policyOf(row.version, row.document), window, {
      minGroupSize: deps.config.fairnessMinGroupSize,
      activeVersion: deps.policies.current().version,
    });

  router.get('/v1/policies', supervisor, async (req, res) => {
    const q = pageQuery.parse(req.query);
    const after = decodeCursor(q.cursor);
    const rows = await listPolicies(deps.db, q.limit + 1, after);
    const page = rows.slice(0, q.limit);
    res.json({ items: page.map(view), nextCursor: rows.length > q.limit ? encodeCursor(page[page.length - 1]) : null });
  });

  router.get('/v1/policies/:version', supervisor, async (req, res) => {
    res.json(view(await byVersion(req.params.version as string)));
  });

  router.post('/v1/policies', admin, async (req, res) => {
    const body = CreatePolicyBody.parse(req.body ?? {});
    const active = await findActivePolicyRow(deps.db);
    const base = active ? documentOf(policyOf(active.version, active.document)) : documentOf(deps.policies.current());
    const document = PolicyDocument.parse({ ...base, ...body.policy });
    const version = body.version ?? `policy-${new Date().toISOString().slice(0, 10).replace(/-/g, '.')}-${randomBytes(3).toString('hex')}`;
    let created: PolicyRow;
    try {
      created = await deps.db.$transaction(async (tx) => {
        const row = await tx.routingPolicyVersion.create({
          data: { version, status: 'draft', document, note: body.note ?? null, createdBy: req.principal!.keyId },
        });
        await recordAudit(tx, req.principal!, 'policy.create', 'routing_policy', version, { basedOn: active?.version ?? null });
        return row;
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw conflict(`Policy version '${version}' already exists.`);
      throw e;
    }
    res.status(201).location(`/v1/policies/${encodeURIComponent(version)}`).json(view(created));
  });

  router.post('/v1/policies/:version/simulate', supervisor, async (req, res) => {
    const window = SimulateQuery.parse(req.query);
    res.json(await simulate(await byVersion(req.params.version as string), window));
  });

  router.post('/v1/policies/:version/activate', admin, async (req, res) => {
    const body = ActivateBody.parse(req.body ?? {});
    const row = await byVersion(req.params.version as string);
    if (row.status === 'active') return void res.json(view(row));
    const result = await simulate(row, body);
    const flagged = newFairnessFlags(result);
    if (flagged.length > 0 && !body.force) {
      throw new AppError(
        'CONFLICT',
        `Activating '${row.version}' would flag groups the decisions of ${result.from} to ${result.to} did not: ` +
          `${flagged.map((f) => f.path.replace(/^fairness\./, '')).join(', ')}. Send force: true with a reason to activate it anyway.`,
        { errors: flagged },
      );
    }
    const now = new Date();
    await deps.db.$transaction(async (tx) => {
      const { previous } = await switchActivePolicy(tx, row.version, now);
      await recordAudit(tx, req.principal!, 'policy.activate', 'routing_policy', row.version, {
        previous,
        window: { from: result.from, to: result.to },
        newlyFlagged: flagged.map((f) => f.path),
        force: body.force ?? false,
        reason: body.reason ?? null,
      });
    });
    // The poll catches up if Redis is down; this process switches at once either way.
    await deps.policies.announce(row.version).catch((err: Error) => deps.logger.warn({ err: { message: err.message } }, 'policy activation not announced; processes will poll'));
    await deps.policies.refresh();
    res.json(view((await findPolicy(deps.db, row.version))!));
  });

  return router;
}
