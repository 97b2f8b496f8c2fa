import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectFlags, requestNegated } from './flags';
import labelled from './labelled-messages.json';
import { normalise } from './normalise';

const REPO = join(__dirname, '..', '..', '..');
const review = (file: string) =>
  (JSON.parse(readFileSync(join(REPO, 'bench', 'routing-sets', 'reviews', file), 'utf8')) as (string | { text: string })[]).map((row) => (typeof row === 'string' ? row : row.text));

describe('requestNegated', () => {
  const texts = [
    ...(labelled as { text: string }[]).map((row) => row.text),
    ...review('routine-for-the-flag-models.json'),
    ...review('routine-for-dropped-phrases.json'),
    // Negated only after a typo is corrected, negated and asked in one text, asked with a typo, a bare request.
    'no quiero hablar con un agnete, solo el enlace',
    'je ne veux pas parler à un conseiler',
    "I don't need to talk to a person about the invoice. Could somebody give me a ring tomorrow?",
    'can i tlak to a real persn',
    'agent please',
  ].map(normalise);
  const sentences = texts.flatMap((text) => [text, ...text.split(/[.!?;\n]+/)]);

  it('says of every text and sentence what detectFlags says of its request entries, the typo-corrected reading included', () => {
    const disagreeing = sentences.filter((text) => requestNegated(text) !== detectFlags(text).negated.includes('human_requested'));
    expect(disagreeing).toEqual([]);
    // Enough negated requests among them for the comparison to mean something.
    expect(sentences.filter(requestNegated).length).toBeGreaterThanOrEqual(10);
  });
});
