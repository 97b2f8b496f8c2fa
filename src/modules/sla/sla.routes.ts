import { Router } from 'express';
import type { Deps } from '../../shared/deps';
import { requireRole } from '../auth/authenticate';
import { recordAudit } from '../audit/audit';
import { loadSlaPolicies, saveSlaPolicies } from './sla.repository';
import { SlaPoliciesUpdateSchema } from './sla.schema';
import type { SlaPolicies } from './sla-policy';

const ORDER = ['urgent', 'high', 'normal', 'low'] as const;

function render(p: SlaPolicies) {
  return Object.fromEntries(ORDER.map((k) => [k, { ...p[k], businessHours: p[k].businessHours ?? null }]));
}

/** SLA targets per priority: supervisors read them, admins change them (audited). */
export function slaRouter(deps: Deps): Router {
  const router = Router();

  router.get('/v1/sla-policies', requireRole('supervisor'), async (_req, res) => {
    res.json(render(await loadSlaPolicies(deps.db)));
  });

  router.put('/v1/sla-policies', requireRole(), async (req, res) => {
    const changes = SlaPoliciesUpdateSchema.parse(req.body);
    const saved = await saveSlaPolicies(deps.db, changes);
    await recordAudit(deps.db, req.principal!, 'sla_policies.update', 'sla_policy', Object.keys(changes).join(','), { changes });
    res.json(render(saved));
  });

  return router;
}
