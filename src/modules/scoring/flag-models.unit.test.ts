import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { flagModelOdds, MODEL_FLAGS, type ModelFlag } from './flag-models';
import { modelTokens } from './flag-model-tokens';
import { normalise } from './normalise';
import { scoreTicket } from './score-ticket';

/** The files as the training script wrote them, one per flag of `MODEL_FLAGS`. */
const FILES = Object.fromEntries(
  MODEL_FLAGS.map((flag) => [flag, JSON.parse(readFileSync(join(__dirname, 'lexicons', 'flag-models', `${flag}.json`), 'utf8'))]),
) as Record<ModelFlag, { prior: number; weights: Record<string, number> }>;
/** Each model as the training script defines it: the prior plus the weight of each distinct known token, or 0. */
function oddsFromTokens(text: string): number[] {
  const tokens = modelTokens(normalise(text));
  return MODEL_FLAGS.map((flag) => {
    const { prior, weights } = FILES[flag];
    const known = tokens.filter((t) => Object.hasOwn(weights, t));
    return known.length === 0 ? 0 : prior + known.reduce((sum, t) => sum + weights[t], 0);
  });
}
const closeTo = (odds: number[]) => odds.map((x) => expect.closeTo(x, 6));
const REPO = join(__dirname, '..', '..', '..');
const readReview = (file: string) => JSON.parse(readFileSync(join(REPO, 'bench', 'routing-sets', 'reviews', file), 'utf8')) as unknown[];
const raisedBy = (text: string, flag: ModelFlag) => scoreTicket({ body: text }).evidence.some((e) => e.match === `${flag}/model`);

describe('modelTokens', () => {
  it('reads each distinct word and each distinct pair of neighbours once, digits as one "0"', () => {
    expect(modelTokens('still waiting , still waiting after 12 days !')).toEqual([
      'still', 'waiting', 'after', '0', 'days', '!',
      'still waiting', 'waiting still', 'waiting after', 'after 0', '0 days', 'days !',
    ]);
  });
});

describe('flagModelOdds', () => {
  it('gives every model the sum of the weights of the distinct tokens it knows, with its prior, as the training script defines it', () => {
    const texts = [
      'Three weeks ago I asked for a refund and nobody has replied.',
      'Can you tell me when the store opens on Sunday?',
      'still waiting still waiting still waiting',
      'Bonjour, je voudrais une copie de ma facture. Cordialement',
      'Ich habe schon dreimal angerufen und niemand ruft zurück.',
      'Could someone from your team give me a ring tomorrow morning?',
      'The charger went black and there was a pop, my daughter burnt her hand.',
      'There is a payment on my card I never made.',
      'My father passed away last month and the account is in his name.',
      'a a a a',
    ];
    for (const text of texts) expect([text, flagModelOdds(normalise(text))]).toEqual([text, closeTo(oddsFromTokens(text))]);
  });
  it('sums the same way on any text made of the models\' words, digits and punctuation', () => {
    const words = new Set<string>();
    for (const flag of MODEL_FLAGS) for (const t of Object.keys(FILES[flag].weights).filter((t) => !t.includes(' ')).slice(0, 120)) words.add(t);
    const vocabulary = [...words, 'constructor', '__proto__', 'hasOwnProperty', 'zzqx', '42', '!', '?', ',', "it's"];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...vocabulary), { maxLength: 60 }), (picked) => {
        const text = picked.join(' ');
        expect(flagModelOdds(normalise(text))).toEqual(closeTo(oddsFromTokens(text)));
      }),
      { numRuns: 500 },
    );
  });
  it('splits any text into words as modelWords does, where words run into digits, apostrophes and letters it does not read', () => {
    const known = [...new Set(MODEL_FLAGS.flatMap((flag) => Object.keys(FILES[flag].weights).filter((t) => !t.includes(' ')).slice(0, 60)))];
    const piece = fc.oneof(fc.constantFrom(...known), fc.constantFrom('0', '7', '2024', "'", "'s", 'ß', 'ñ', 'é', 'æ', 'привет', '日本', '!', '?', '.', '-', '_', ' ', '\n'));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join('');
        expect(flagModelOdds(normalise(text))).toEqual(closeTo(oddsFromTokens(text)));
      }),
      { numRuns: 1000 },
    );
  });
  it('counts a repeated word once, as it was trained (presence, not frequency)', () => {
    const once = flagModelOdds(normalise('nobody'));
    const pair = MODEL_FLAGS.map((flag) => FILES[flag].weights['nobody nobody'] ?? 0);
    expect(flagModelOdds(normalise('nobody nobody nobody'))).toEqual(closeTo(once.map((x, m) => x + pair[m])));
  });
  it('is 0 for a text with no word it knows', () => {
    expect(flagModelOdds(normalise('zzqx wvvy'))).toEqual(MODEL_FLAGS.map(() => 0));
    expect(flagModelOdds('')).toEqual(MODEL_FLAGS.map(() => 0));
  });
});

describe('the models on routine messages reviewers wrote to catch them', () => {
  // bench/routing-sets/reviews/README.md: 100 everyday questions, then 100 in the words of complaints.
  it('the complaint model reads at most 2 of 200 as complaints (1 when it was trained)', () => {
    const routine = readReview('routine-for-the-complaint-model.json') as string[];
    expect(routine).toHaveLength(200);
    expect(routine.filter((text) => raisedBy(text, 'complaint')).length).toBeLessThanOrEqual(2);
  });
  // 200 routine messages in the words of requests for a person, safety, fraud and bereavement, 50 of each.
  it.each(['human_requested', 'safety', 'fraud_or_security'] as const)('the %s model raises at most 2 of 200 written in the words of four flags', (flag) => {
    const routine = readReview('routine-for-the-flag-models.json') as { text: string; needsHuman: boolean }[];
    expect(routine.filter((r) => !r.needsHuman)).toHaveLength(200);
    expect(routine.filter((r) => raisedBy(r.text, flag)).length).toBeLessThanOrEqual(2);
  });
  // 240 routine questions for insurers, a pharmacy, clinics and a gym in the words of injuries, illness and death
  // (0 when trained); 80 routine messages that a dropped round of complaint and fraud phrases caught (1 when trained).
  it.each([
    ['routine-in-health-and-insurance-words.json', 240],
    ['routine-for-dropped-phrases.json', 80],
  ])('all four models together raise at most 2 of the routine messages of %s (%i)', (file, size) => {
    const routine = readReview(file).map((row) => (typeof row === 'string' ? row : (row as { text: string }).text));
    expect(routine).toHaveLength(size);
    expect(routine.filter((text) => scoreTicket({ body: text }).evidence.some((e) => e.match.endsWith('/model'))).length).toBeLessThanOrEqual(2);
  });
});
