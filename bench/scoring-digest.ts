/**
 * A fingerprint of everything scoreTicket returns, for changes that must not change a result (speed work):
 * `npx tsx bench/scoring-digest.ts` at two commits prints the same lines when the scorer behaves the same.
 * Inputs: the labelled table, the Bitext sample, the intake bench bodies and 20,000 seeded random texts
 * made of the lexicons' words, odd characters, scripts and threads. Add `--out <file>` to compare in detail.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scoreTicket, type ScoreInput } from '../src/modules/scoring';
import labelled from '../src/modules/scoring/labelled-messages.json';
import { loadBitext } from './bitext';
import { SUBJECT } from './intake-tickets';

/**
 * The bodies the intake bench posted until it posted a new one each time: 5 texts × 3 lengths. They stay
 * here unchanged so that the digest stays comparable with every digest taken before.
 */
const INTAKE_BODIES = [
  'Hi, I ordered a standing lamp (order A-1001) ten days ago and the tracking page still says "label created". Could you tell me when it will ship and whether I can change the delivery address to my office? Thanks a lot, and have a nice day.',
  'Hola, quería saber cuánto tarda en llegar un pedido a Canarias y si hay gastos de envío adicionales. También me gustaría saber si puedo pagar con PayPal. Muchas gracias por vuestra ayuda.',
  "Bonjour, je n'arrive pas à télécharger ma facture du mois d'octobre depuis mon espace client. Le bouton ne fait rien. Pouvez-vous me l'envoyer ou m'expliquer comment faire ? Merci.",
  'Hallo, ich möchte mein Abonnement vom Monatsplan auf den Jahresplan umstellen. Wie funktioniert das und wird der Restbetrag angerechnet? Vielen Dank im Voraus.',
  'I want to talk to a real person. This is the third time I write about the refund for order A-2231 and nobody has answered. I am really frustrated and considering a chargeback with my bank.',
];

function ticketText(i: number): string {
  const text = INTAKE_BODIES[i % INTAKE_BODIES.length];
  return (text + ' ').repeat(Math.ceil(600 / text.length) + (i % 3)).trim();
}

const LEXICONS = join(__dirname, '../src/modules/scoring/lexicons');
const lexiconFiles = [...readdirSync(LEXICONS).filter((f) => f.endsWith('.json')), ...readdirSync(join(LEXICONS, 'sentiment')).map((f) => `sentiment/${f}`)];
const WORDS = [...new Set(lexiconFiles.flatMap((f) => readFileSync(join(LEXICONS, f), 'utf8').match(/[A-Za-zÀ-ÿ']{2,}/g) ?? []))];
const TEXTS = (labelled as { text: string }[]).map((row) => row.text);
const ODD = ['!', '!!!', '?', '??', '.', ',', '\n', '\t', '  ', "'", '’', '‘', '´', '`', '😡', '👍🏽', '❤️', '«', '»', '¿', '¡', '…', '#12345', 'A-1001',
  'E-4012', 'v3.2.1', 'HTTP 500', 'Straße', 'ÇA', 'İ', 'ﬁ', 'привет', 'こんにちは', '中文', 'مرحبا', '\u00a0', '\u2028', 'https://x.io/a?b=1', 'a@b.com', "n'est", 'NOT', 'HUMAN', 'REFUND'];

// A fixed linear congruential generator: the same texts on every run and machine.
let seed = 12345;
const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];

function randomText(): string {
  const words: string[] = [];
  for (let n = Math.floor(random() ** 2 * 400) + 1; n > 0; n--) {
    const r = random();
    let word = r < 0.6 ? pick(WORDS) : r < 0.75 ? pick(ODD) : r < 0.8 ? pick(TEXTS) : String(Math.floor(random() * 1e6));
    const c = random();
    if (c < 0.05) word = word.toUpperCase();
    else if (c < 0.1) word = word.charAt(0).toUpperCase() + word.slice(1);
    words.push(word);
  }
  return words.join(random() < 0.8 ? ' ' : pick(['  ', '\n', ', ', '. ']));
}

const sets: [string, ScoreInput[]][] = [
  ['labelled', (labelled as { text: string; subject?: string }[]).map((row) => ({ subject: row.subject, body: row.text }))],
  ['bitext', loadBitext().map((row) => ({ body: row.utterance }))],
  ['intake', Array.from({ length: 30 }, (_, i) => ({ subject: SUBJECT, body: ticketText(i) }))],
  ['random', Array.from({ length: 20000 }, () => {
    const input: ScoreInput = { body: randomText() };
    if (random() < 0.3) input.subject = randomText().slice(0, 80);
    if (random() < 0.2) input.history = Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({ author: pick(['customer', 'ai', 'agent'] as const), body: random() < 0.5 ? pick(TEXTS) : randomText() }));
    return input;
  })],
];

const lines: string[] = [];
for (const [name, inputs] of sets) {
  const hash = createHash('sha256');
  for (const input of inputs) {
    const line = JSON.stringify([input, scoreTicket(input)]);
    hash.update(line + '\n');
    lines.push(line);
  }
  console.log(`${name.padEnd(9)} ${String(inputs.length).padStart(6)} inputs  sha256 ${hash.digest('hex').slice(0, 16)}`);
}
const out = process.argv.indexOf('--out');
if (out !== -1) writeFileSync(process.argv[out + 1], lines.join('\n') + '\n');
