import { scoreTicket } from '../scoring';
import { decideRoute, DEFAULT_POLICY, recentCountThatMatters, type RoutingPolicy } from './routing-policy';

// Intake decides with a count of 0 before it reads the customer's recent tickets, and decides again
// only when the count reaches recentCountThatMatters: that is sound only if no lower count changes the answer.
describe('recentCountThatMatters', () => {
  const texts = [
    'Where is my order? It was supposed to arrive yesterday.',
    'I want to talk to a real person, not a bot.',
    'THIS IS UNACCEPTABLE!!! worst service ever, I am done',
    'Hola, ¿cuánto tarda el envío a Canarias?',
    'My account was hacked and someone changed my password and my bank details, I need help with the chargeback.',
  ];
  const policies: RoutingPolicy[] = [{ ...DEFAULT_POLICY, repeatContactThreshold: 1 }, { ...DEFAULT_POLICY, repeatContactThreshold: 7 }];

  test.each(policies.map((p) => [p.repeatContactThreshold, p] as const))('with a threshold of %i, counts below it decide as 0 does and the threshold itself does not', (_, policy) => {
    const from = recentCountThatMatters(policy);
    for (const text of texts) {
      for (const ctx of [{ aiOptOut: false, tier: 'standard' as const }, { aiOptOut: true, tier: 'vip' as const }]) {
        const score = scoreTicket({ body: text });
        const none = decideRoute(score, { ...ctx, recentTicketCount: 0 }, policy);
        for (let count = 1; count < from; count++) expect(decideRoute(score, { ...ctx, recentTicketCount: count }, policy)).toEqual(none);
        expect(decideRoute(score, { ...ctx, recentTicketCount: from }, policy).reasons).not.toEqual(none.reasons);
      }
    }
  });

  test('with repeat contact off (the default), no count changes a decision, and intake never needs one', () => {
    expect(DEFAULT_POLICY.repeatContactThreshold).toBeNull();
    expect(recentCountThatMatters(DEFAULT_POLICY)).toBe(2_147_483_647);
    for (const text of texts) {
      const score = scoreTicket({ body: text });
      const none = decideRoute(score, { aiOptOut: false, tier: 'standard', recentTicketCount: 0 });
      for (const count of [1, 3, 10, 1000]) expect(decideRoute(score, { aiOptOut: false, tier: 'standard', recentTicketCount: count })).toEqual(none);
    }
  });
});

describe('very unhappy (policy-2026.11.3)', () => {
  const plain = { aiOptOut: false, tier: 'standard' as const, recentTicketCount: 0 };
  // Each reads about -0.72 to -0.84 on one or two strong words; under policy-2026.11.2 (-0.7) each went to a person.
  test.each([
    "My phone battery died so I missed the driver's call. Can I rebook for tomorrow?",
    'How long does a chat restriction last for a first offence?',
    "Sending my sister's birthday present, she'll kill me if it's late 😂 what's the latest I can drop it off?",
    'My watch battery died mid run, will the workout still sync once it is charged?',
  ])('a routine question with a strong word stays with the AI: %s', (text) => {
    const score = scoreTicket({ body: text });
    expect(score.sentiment).toBeLessThanOrEqual(-0.7);
    expect(decideRoute(score, plain).route).toBe('ai');
    expect(decideRoute(score, plain, { ...DEFAULT_POLICY, negativeSentimentThreshold: -0.7 }).reasons.map((r) => r.code)).toContain('NEGATIVE_SENTIMENT');
  });
  test('a furious message still goes to a person for its sentiment', () => {
    const score = scoreTicket({ body: 'THIS IS UNACCEPTABLE!!! worst service ever, I am done' });
    expect(decideRoute(score, plain).reasons.map((r) => r.code)).toContain('NEGATIVE_SENTIMENT');
  });
});
