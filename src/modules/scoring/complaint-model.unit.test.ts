import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import model from './lexicons/complaint-model.json';
import { complaintOdds } from './complaint-model';
import { complaintTokens } from './complaint-tokens';
import { normalise } from './normalise';
import { scoreTicket } from './score-ticket';

const weights = model.weights as Record<string, number>;
/** The model as the training script defines it: the prior plus the weight of each distinct known token. */
function oddsFromTokens(text: string): number {
  const known = complaintTokens(normalise(text)).filter((t) => Object.hasOwn(weights, t));
  return known.length === 0 ? 0 : model.prior + known.reduce((sum, t) => sum + weights[t], 0);
}

describe('complaintTokens', () => {
  it('reads each distinct word and each distinct pair of neighbours once, digits as one "0"', () => {
    expect(complaintTokens('still waiting , still waiting after 12 days !')).toEqual([
      'still', 'waiting', 'after', '0', 'days', '!',
      'still waiting', 'waiting still', 'waiting after', 'after 0', '0 days', 'days !',
    ]);
  });
});

describe('complaintOdds', () => {
  it('sums the weights of the distinct tokens it knows, with the prior, as the training script defines the model', () => {
    const texts = [
      'Three weeks ago I asked for a refund and nobody has replied.',
      'Can you tell me when the store opens on Sunday?',
      'still waiting still waiting still waiting',
      'Bonjour, je voudrais une copie de ma facture. Cordialement',
      'Ich habe schon dreimal angerufen und niemand ruft zurück.',
      'a a a a',
    ];
    for (const text of texts) expect([text, complaintOdds(normalise(text))]).toEqual([text, expect.closeTo(oddsFromTokens(text), 6)]);
  });
  it('sums the same way on any text made of its own words, digits and punctuation', () => {
    const vocabulary = [...Object.keys(weights).filter((t) => !t.includes(' ')).slice(0, 400), 'constructor', '__proto__', 'zzqx', '42', '!', '?', ',', "it's"];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...vocabulary), { maxLength: 60 }), (words) => {
        const text = words.join(' ');
        expect(complaintOdds(normalise(text))).toBeCloseTo(oddsFromTokens(text), 6);
      }),
      { numRuns: 500 },
    );
  });
  it('counts a repeated word once, as it was trained (presence, not frequency)', () => {
    expect(complaintOdds(normalise('nobody nobody nobody'))).toBeCloseTo(complaintOdds(normalise('nobody')) + (weights['nobody nobody'] ?? 0), 6);
  });
  it('is 0 for a text with no word it knows', () => {
    expect(complaintOdds(normalise('zzqx wvvy'))).toBe(0);
    expect(complaintOdds('')).toBe(0);
  });
});

describe('the complaint model on routine messages a reviewer wrote to catch it', () => {
  // bench/routing-sets/reviews/README.md: 100 everyday questions, then 100 in the words of complaints.
  const file = join(__dirname, '..', '..', '..', 'bench', 'routing-sets', 'reviews', 'routine-for-the-complaint-model.json');
  const routine = JSON.parse(readFileSync(file, 'utf8')) as string[];
  it('reads at most 2 of the 200 as complaints (1 when it was trained)', () => {
    const read = routine.filter((text) => scoreTicket({ body: text }).evidence.some((e) => e.match === 'complaint/model'));
    expect(routine).toHaveLength(200);
    expect(read.length).toBeLessThanOrEqual(2);
  });
});
