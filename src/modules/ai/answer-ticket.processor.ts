import { aiConfidence } from '../../shared/metrics';
import type { Job } from 'bullmq';
import { z } from 'zod';
import type { Deps } from '../../shared/deps';
import { redact } from '../privacy/redact';
import { enqueueDelivery } from '../delivery';
import { readTicketForAnswer, saveAnswer } from './answer-store';
import { aiDisclosure, disclosureLanguage } from './disclosure';
import { escalateToHuman } from './escalate';
import type { AiAnswer, AiProvider, AnswerContext } from './provider';
import { pickForReview } from './reviews';

const jobData = z.object({ ticketId: z.string().uuid() });

export type AnswerOutcome = 'answered' | 'escalated' | 'skipped' | 'retry';

/**
 * Answers one ticket with the AI, or hands it to a person. Re-reads the ticket and acts only while
 * it is still ai_queued, so a duplicate or replayed job changes nothing. Provider errors are thrown
 * for BullMQ to retry with backoff; on the last attempt the ticket goes to a person (AI_FAILED)
 * instead, so no ticket is left without an owner.
 */
export async function processAnswerTicket(
  deps: Deps,
  provider: AiProvider,
  job: Pick<Job, 'data' | 'attemptsMade' | 'opts'>,
): Promise<AnswerOutcome> {
  const parsed = jobData.safeParse(job.data);
  if (!parsed.success) {
    deps.logger.error({ data: 'invalid' }, 'ai job with invalid data dropped');
    return 'skipped';
  }
  const { ticketId } = parsed.data;
  const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);

  // A follow-up may land between our read and our write; the guard notices and we read again.
  for (let round = 0; round < 3; round++) {
    const ticket = await readTicketForAnswer(deps.pool, ticketId);
    if (!ticket) return 'skipped';
    if (ticket.status !== 'ai_queued') return 'skipped';
    const language = disclosureLanguage(ticket.language);
    const { question, context } = buildPrompt(deps, ticket, language);

    let answer: AiAnswer;
    try {
      answer = await provider.answer(question, context);
    } catch (err) {
      deps.logger.warn({ ticketId, provider: provider.name, attempt: job.attemptsMade + 1, err: { message: (err as Error).message } }, 'ai provider failed');
      if (!lastAttempt) throw err;
      const moved = await escalateToHuman(deps, {
        ticket,
        from: ['ai_queued'],
        reason: { code: 'AI_FAILED', detail: `The AI provider failed ${job.attemptsMade + 1} times: ${(err as Error).message}`.slice(0, 300) },
      });
      if (moved) return 'escalated';
      continue;
    }

    const min = deps.config.ai.minConfidence;
    aiConfidence.observe({ provider: provider.name, outcome: answer.confidence < min ? 'draft' : 'sent' }, answer.confidence);
    if (answer.confidence < min || !answer.text.trim()) {
      const empty = !answer.text.trim() && answer.confidence >= min;
      const moved = await escalateToHuman(deps, {
        ticket,
        from: ['ai_queued'],
        draft: answer,
        reason: empty
          ? { code: 'AI_FAILED', detail: 'The AI returned an empty answer.' }
          : { code: 'AI_LOW_CONFIDENCE', detail: `AI confidence ${answer.confidence.toFixed(2)} is below ${min}.` },
      });
      if (moved) return 'escalated';
      continue;
    }

    const saved = await saveAnswer(
      deps.pool,
      deps.cipher,
      ticket,
      { ...answer, provider: provider.name, disclosure: aiDisclosure(language), review: pickForReview(answer.confidence, deps.config.ai) },
      new Date(),
    );
    if (!saved) continue;
    await enqueueDelivery(deps, saved.deliveryId);
    return 'answered';
  }
  // The ticket keeps changing under us; the sweeper or the next job will try again.
  return 'retry';
}

/**
 * What the provider sees: the customer's words and the thread, redacted, and the language. The
 * latest customer turns form the question; earlier turns are context.
 */
function buildPrompt(
  deps: Deps,
  ticket: { subjectEnc: string | null; messages: { author: string; internal: boolean; bodyEnc: string | null }[] },
  language: string,
): { question: string; context: AnswerContext } {
  const thread = ticket.messages
    .filter((m) => !m.internal && m.bodyEnc && (m.author === 'customer' || m.author === 'ai' || m.author === 'agent'))
    .map((m) => ({ author: m.author as 'customer' | 'ai' | 'agent', text: redact(deps.cipher.decrypt(m.bodyEnc!)).text }));
  let lastNonCustomer = -1;
  thread.forEach((m, i) => {
    if (m.author !== 'customer') lastNonCustomer = i;
  });
  const latest = thread.slice(lastNonCustomer + 1).map((m) => m.text);
  const subject = ticket.subjectEnc && lastNonCustomer < 0 ? redact(deps.cipher.decrypt(ticket.subjectEnc)).text : '';
  return {
    question: [subject, ...latest].filter(Boolean).join('\n'),
    context: { language, history: thread.slice(0, lastNonCustomer + 1) },
  };
}
