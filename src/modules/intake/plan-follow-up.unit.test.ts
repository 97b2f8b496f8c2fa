import { decideRoute, DEFAULT_POLICY } from '../routing';
import { scoreTicket } from '../scoring';
import { MAX_AI_TURNS, planFollowUp } from './receive-follow-up';

const AI_ANSWER = { author: 'ai' as const, body: 'You can reset your password from the sign-in page.' };

function plan(status: Parameters<typeof planFollowUp>[0], aiTurns: number, body: string) {
  const score = scoreTicket({ body, history: [{ author: 'customer', body: 'How do I reset my password?' }, AI_ANSWER] });
  return planFollowUp(status, aiTurns, score, () => decideRoute(score, { aiOptOut: false, tier: 'standard', recentTicketCount: 0 }, DEFAULT_POLICY));
}
const codes = (p: ReturnType<typeof plan>) => p?.decision.reasons.map((r) => r.code);

describe('planFollowUp', () => {
  test('when a customer asks for a person after an AI answer, then the ticket goes to a person with HUMAN_REQUESTED', () => {
    const p = plan('ai_answered', 1, 'Thanks, but I want to talk to a real person please.');
    expect(p?.status).toBe('human_queued');
    expect(codes(p)).toContain('HUMAN_REQUESTED');
  });

  test('when the customer says the answer did not help, then CUSTOMER_DISSATISFIED sends it to a person', () => {
    const p = plan('ai_answered', 1, "That didn't help at all.");
    expect(p?.status).toBe('human_queued');
    expect(codes(p)).toContain('CUSTOMER_DISSATISFIED');
  });

  test('when the AI already answered the maximum number of turns, then the next follow-up goes to a person', () => {
    const p = plan('ai_answered', MAX_AI_TURNS, 'And how do I change my email address?');
    expect(p?.status).toBe('human_queued');
    expect(codes(p)).toContain('CUSTOMER_DISSATISFIED');
  });

  test('when a routine follow-up comes after one AI answer, then the AI answers again', () => {
    const p = plan('ai_answered', 1, 'Thanks! And how do I change my email address?');
    expect(p?.status).toBe('ai_queued');
  });

  test('when a person already has the ticket, then a follow-up does not re-route it', () => {
    expect(plan('assigned', 1, 'Any news? I want a human.')).toBeNull();
    expect(plan('human_queued', 0, 'Hello?')).toBeNull();
  });

  test('when a resolved ticket gets a sensitive follow-up, then it reopens for a person', () => {
    const p = plan('resolved', 1, 'My account was hacked and someone changed my password.');
    expect(p?.status).toBe('human_queued');
    expect(codes(p)).toContain('SENSITIVE_TOPIC');
  });
});
