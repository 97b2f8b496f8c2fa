import { apiClient } from '../support/api-client';
import { buildTicket } from '../support/factories';
import { ADMIN_KEY, startApp } from '../support/start-app';
import { sweepAiQueue } from '../../src/modules/intake/requeue-sweeper';

describe('outages', () => {
  test('when Redis is down at intake, then the ticket is still accepted and reaches its queue once Redis is back', async () => {
    const down = await startApp({ REDIS_URL: 'redis://127.0.0.1:6390' });
    let ticketId: string;
    try {
      const res = await apiClient(down.url, ADMIN_KEY).post('/v1/tickets', buildTicket());
      expect(res.status).toBe(202);
      expect(res.body.status).toBe('ai_queued');
      ticketId = res.body.id;
      const stored = await down.deps.db.ticket.findUniqueOrThrow({ where: { id: ticketId } });
      expect(stored.status).toBe('ai_queued');
    } finally {
      await down.close();
    }

    // Redis is back: a sweep (as the worker runs it) enqueues the ticket, once, with its ticket id.
    const up = await startApp();
    try {
      await up.deps.db.ticket.update({ where: { id: ticketId }, data: { updatedAt: new Date(Date.now() - 60_000) } });
      await sweepAiQueue(up.deps);
      await sweepAiQueue(up.deps);
      const job = await up.deps.queues.aiAnswer.getJob(ticketId);
      expect(job?.data).toEqual({ ticketId });
      const all = await up.deps.queues.aiAnswer.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
      expect(all.filter((j) => j.data.ticketId === ticketId)).toHaveLength(1);
    } finally {
      await up.close();
    }
  });

  test('when Postgres is down, then intake answers 503 with Retry-After and /readyz names postgres', async () => {
    const app = await startApp({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:5499/handoff_test' }, { seed: false });
    try {
      const res = await apiClient(app.url, ADMIN_KEY).post('/v1/tickets', buildTicket());
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBeTruthy();
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const ready = await fetch(`${app.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { checks: unknown }).checks).toEqual({ postgres: 'down', redis: 'up' });
    } finally {
      await app.close();
    }
  });
});
