import fc from 'fast-check';
import Sentiment from 'sentiment';
import { FILLER, scoredContext, wordBitmap } from './sentiment-context';

const LABELS = { good: 2, bad: -2, 'x-ray': 1, 'a+': 1, 'not': -1, '😡': -3, 'ж': 1 };
const NEGATORS = ['not', "don't"];
const BOOSTERS = ['very'];
const CONTRASTS = ['but'];
const RULE_WORDS = [...NEGATORS, ...BOOSTERS, ...CONTRASTS];
const SCOPE = 3;
const anchors = wordBitmap([...Object.keys(LABELS), ...CONTRASTS]);
const rules = wordBitmap(RULE_WORDS);

/**
 * What a scoring strategy can know of each scored token: the token, which rule words lie in the SCOPE
 * tokens before it, and which side of the last contrast word it is on. Equal records give equal scores.
 */
function records(phrase: string): string[] {
  const seen: string[] = [];
  const library = new Sentiment();
  library.registerLanguage('test', {
    labels: { ...LABELS },
    scoringStrategy: {
      apply(tokens: string[], cursor: number, score: number) {
        const before = Array.from({ length: SCOPE }, (_, k) => (RULE_WORDS.includes(tokens[cursor - 1 - k]) ? tokens[cursor - 1 - k] : '-'));
        let lastContrast = tokens.length - 1;
        while (lastContrast >= 0 && !CONTRASTS.includes(tokens[lastContrast])) lastContrast--;
        seen.push(`${tokens[cursor]} after [${before.join(' ')}] ${Math.sign(cursor - lastContrast)}`);
        return score;
      },
    },
  });
  library.analyze(phrase, { language: 'test' });
  return seen;
}

describe('scoredContext', () => {
  test('when a text has labelled words, then the library reads them with the rule words before each at the same distance', () => {
    const text = "well, well: i am not very good at all. it's a long story, really!\tso it\t\twas\u00a0very bad, but not x-ray";
    const phrase = scoredContext(text, anchors, rules, SCOPE);
    expect(phrase).toBe(`not very good ${FILLER} ${FILLER} bad but not x-ray`);
    expect(records(phrase!)).toEqual(records(text));
  });

  test('when random texts mix words, rule words, punctuation and whitespace, then every scored token sees the same context', () => {
    const word = fc.constantFrom(...Object.keys(LABELS), ...RULE_WORDS, 'ok', 'then', 'no', 'x', 'ray', 'ß', 'é', '¿', '0', '🙂', 'жж', '中文', '\ud83d', '\ude21');
    const between = fc.constantFrom('', ' ', ' ', ' ', ' ', '  ', "'", '-', '+', '\t', '\n', '\r\n', '\u00a0', '.', ',', '!', '?', '"', '(', ')', '_', '~', '\u0085', '\u2028', '\u3000', '\u200d');
    const text = fc.array(fc.tuple(word, between), { maxLength: 40 }).map((parts) => parts.flat().join(''));
    fc.assert(fc.property(text, (t) => expect(records(scoredContext(t, anchors, rules, SCOPE)!)).toEqual(records(t))), { numRuns: 3000 });
  });

  test('when a rule word is far from the next labelled word, then no filler keeps it in reach', () => {
    const text = 'not one two three good';
    expect(scoredContext(text, anchors, rules, SCOPE)).toBe(`not ${FILLER} ${FILLER} ${FILLER} good`);
    expect(records(scoredContext(text, anchors, rules, SCOPE)!)).toEqual(['good after [- - -] 1', 'not after [- - -] 1']);
    expect(scoredContext('one two three four good', anchors, rules, SCOPE)).toBe('good');
  });

  test('when rule words have no labelled word within reach, then they are dropped, with fillers only to keep earlier ones out of reach', () => {
    for (const [text, phrase] of [
      ['very ok ok ok good', 'good'],
      ['bad very ok ok ok good', 'bad good'],
      [`not very ok ok ok good`, `not ${FILLER} ${FILLER} ${FILLER} good`],
      ['very ok ok', ''],
    ]) {
      expect(scoredContext(text, anchors, rules, SCOPE)).toBe(phrase);
      expect(records(phrase)).toEqual(records(text));
    }
  });

  test('when a text has emoji, other scripts or wide spaces, then they are read as the library reads them', () => {
    const text = 'not so good 😡 but 中文 ж\u2028\u2028ok ж\u3000bad';
    expect(scoredContext(text, anchors, rules, SCOPE)).toBe(`not ${FILLER} good 😡 but ${FILLER} ж ${FILLER}`);
    expect(records(scoredContext(text, anchors, rules, SCOPE)!)).toEqual(records(text));
  });

  test('when a text has an uppercase letter, even beyond Latin-1 or beyond U+FFFF, then the whole text is left to the library', () => {
    expect(scoredContext('so Good', anchors, rules, SCOPE)).toBeUndefined();
    expect(scoredContext('so good Ж', anchors, rules, SCOPE)).toBeUndefined();
    expect(scoredContext('so good \u{10400}', anchors, rules, SCOPE)).toBeUndefined();
  });
});
