import { Router } from 'express';
import { z } from 'zod';
import type { Deps } from '../../shared/deps';
import { conflict, notFound } from '../../shared/errors/app-error';
import { afterCursor, decodeCursor, emptyAsAbsent, encodeCursor, pageQuery, text, uuid } from '../../shared/http/validation';
import { requireRole } from '../auth/authenticate';
import { recordAudit } from '../audit/audit';
import { escalateToHuman } from './escalate';

export const listQuery = pageQuery.extend({ status: emptyAsAbsent(z.enum(['pending', 'reviewed']).default('pending')) });
export const verdictBody = z.object({ verdict: z.enum(['good', 'bad']), note: text(2_000).optional() }).strict();

/** Agents judge sampled AI answers; a bad verdict on a delivered answer puts a person on the ticket. */
export function reviewsRouter(deps: Deps): Router {
  const router = Router();

  router.get('/v1/reviews', requireRole('agent', 'supervisor'), async (req, res) => {
    const q = listQuery.parse(req.query);
    const after = decodeCursor(q.cursor);
    const rows = await deps.db.aiReview.findMany({
      where: {
        reviewedAt: q.status === 'pending' ? null : { not: null },
        ...afterCursor(after),
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    const messages = await deps.db.message.findMany({ where: { id: { in: page.map((r) => r.messageId) } } });
    const byId = new Map(messages.map((m) => [m.id, m]));
    res.json({
      items: page.map((r) => {
        const m = byId.get(r.messageId);
        return {
          id: r.id,
          ticketId: r.ticketId,
          messageId: r.messageId,
          reason: r.reason,
          confidence: r.confidence,
          answer: m?.bodyEnc ? deps.cipher.decrypt(m.bodyEnc) : null,
          sources: m?.sources ?? [],
          verdict: r.verdict,
          note: r.note,
          reviewedAt: r.reviewedAt?.toISOString() ?? null,
          createdAt: r.createdAt.toISOString(),
        };
      }),
      nextCursor: rows.length > q.limit ? encodeCursor(page[page.length - 1].createdAt, page[page.length - 1].id) : null,
    });
  });

  router.post('/v1/reviews/:id', requireRole('agent'), async (req, res) => {
    const id = req.params.id as string;
    if (!uuid.safeParse(id).success) throw notFound('Review');
    const body = verdictBody.parse(req.body);
    const principal = req.principal!;
    const now = new Date();
    const done = await deps.db.aiReview.updateMany({
      where: { id, reviewedAt: null },
      data: { verdict: body.verdict, note: body.note ?? null, reviewerId: principal.agentId ?? principal.keyId, reviewedAt: now },
    });
    const review = await deps.db.aiReview.findUnique({ where: { id } });
    if (!review) throw notFound('Review');
    if (done.count === 0) throw conflict('This answer has already been reviewed.');
    await recordAudit(deps.db, principal, 'ai_review.verdict', 'ai_review', id, { verdict: body.verdict, ticketId: review.ticketId });

    let reopened = false;
    if (body.verdict === 'bad') {
      // The customer already has the answer: a person must follow it up, unless one already is.
      for (let round = 0; round < 3 && !reopened; round++) {
        const ticket = await deps.db.ticket.findUniqueOrThrow({ where: { id: review.ticketId } });
        if (!['ai_answered', 'resolved'].includes(ticket.status)) break;
        reopened = await escalateToHuman(deps, {
          ticket,
          from: ['ai_answered', 'resolved'],
          reason: { code: 'AI_ANSWER_REJECTED', detail: 'A reviewer judged the AI answer wrong.' },
        });
      }
    }
    res.json({
      id,
      ticketId: review.ticketId,
      messageId: review.messageId,
      verdict: review.verdict,
      note: review.note,
      reviewedAt: review.reviewedAt?.toISOString() ?? null,
      ticketReopened: reopened,
    });
  });

  return router;
}
