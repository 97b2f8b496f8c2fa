/**
 * The tickets the intake and memory benchmarks post: every body new, 0.6–1.2 KB, made of the labelled
 * messages of src/modules/scoring in en, es, fr and de (en twice as often), about one in five routed to
 * a person.
 */
import { randomUUID } from 'node:crypto';
import labelled from '../src/modules/scoring/labelled-messages.json';
import { mulberry32 } from './seeded-random';

export const SUBJECT = 'Question about my order';

/**
 * Each customer writes twice, and customers are new to every run and every bench process: with ids reused
 * across runs (the database outlives them), every customer soon had three recent tickets and every ticket
 * was a repeat contact, routed to a person, so intake was measured without its AI enqueue.
 */
const RUN = randomUUID().slice(0, 8);

const MIN_BYTES = 600;
const MAX_BYTES = 1200;

interface Row {
  text: string;
  utf8: Buffer;
}
interface Kind {
  /** What the body opens with: for a ticket meant for a person, one message labelled as needing one. */
  openers: Row[];
  rows: Row[];
  /** Largest body length to aim for: one more message, even the longest, still ends within MAX_BYTES. */
  maxTarget: number;
}

function kind(language: string, human: boolean): Kind {
  const all = (labelled as { text: string; language: string; needsHuman: boolean }[]).filter((row) => row.language === language);
  const toRows = (list: typeof all) => list.map((row) => ({ text: row.text, utf8: Buffer.from(row.text) }));
  const openers = human ? toRows(all.filter((row) => row.needsHuman)) : [];
  // A routine body is routine messages only; a body for a person also draws on the rest, as such
  // letters do: flag-dense texts are where scoring costs most.
  const rows = toRows(human ? all : all.filter((row) => !row.needsHuman));
  const longest = Math.max(...[...openers, ...rows].map((row) => row.utf8.length));
  return { openers, rows, maxTarget: MAX_BYTES - longest - 1 };
}

const EN = kind('en', false);
const EN_PERSON = kind('en', true);
/**
 * The mix the bench always had: en, es, fr, de, then an English ticket for a person. A long mix of
 * English routine messages goes to a person too, about one time in seven (mild complaints add up to a
 * very negative sentiment, many questions on several topics to a high complexity), so every fifth
 * ticket meant for a person is a routine one instead, and the router still sends about four in five
 * to the AI and one in five to a person. The intake bench prints the shares these bodies get.
 */
const KINDS = [EN, kind('es', false), kind('fr', false), kind('de', false), EN_PERSON];
const kindOf = (i: number) => (i % 25 === 24 ? EN : KINDS[i % 5]);

/**
 * The messages of ticket i's text in order, the same on every run and machine: its own mix of labelled
 * messages, picked by a generator (mulberry32) seeded with i. In the server every ticket differs, and
 * what scoring costs depends on the words a text brings; 15 bodies posted over and over made it look
 * cheaper than it is. Texts repeat only by chance (2 of 450,000 did).
 */
function composeText(i: number, use: (row: Row) => void): void {
  const random = mulberry32(Math.imul(i + 1, 0x9e3779b1));
  const { openers, rows, maxTarget } = kindOf(i);
  const target = MIN_BYTES + random() * (maxTarget - MIN_BYTES);
  let bytes = -1;
  const add = (row: Row) => {
    use(row);
    bytes += row.utf8.length + 1;
  };
  if (openers.length) add(openers[Math.floor(random() * openers.length)]);
  while (bytes < target) add(rows[Math.floor(random() * rows.length)]);
}

export function distinctText(i: number): string {
  const parts: string[] = [];
  composeText(i, (row) => parts.push(row.text));
  return parts.join(' ');
}

/**
 * Texts of a run's tickets, made before it is timed. They are kept as UTF-8 in one buffer, reused from
 * run to run: as 100,000s of strings on the heap they cost the garbage collector three times what making
 * them does, and so does touching a new buffer's pages.
 */
export class TicketTexts {
  first = 0;
  count = 0;
  private buffer = Buffer.alloc(0);
  private ends = new Uint32Array(0);

  /** Makes the texts of tickets first … first + count − 1, in place of those made before. */
  make(first: number, count: number): void {
    if (this.buffer.length < count * MAX_BYTES) this.buffer = Buffer.allocUnsafeSlow(count * MAX_BYTES);
    if (this.ends.length < count) this.ends = new Uint32Array(count);
    const buffer = this.buffer;
    let end = 0;
    for (let k = 0; k < count; k++) {
      const start = end;
      composeText(first + k, (row) => {
        if (end > start) buffer[end++] = 0x20;
        buffer.set(row.utf8, end);
        end += row.utf8.length;
      });
      this.ends[k] = end;
    }
    this.first = first;
    this.count = count;
  }

  /** Ticket i's text; one outside the range (a run faster than foreseen) is made when asked for. */
  text(i: number): string {
    const k = i - this.first;
    if (k < 0 || k >= this.count) return distinctText(i);
    return this.buffer.toString('utf8', k === 0 ? 0 : this.ends[k - 1], this.ends[k]);
  }
}

export function ticketBody(i: number, texts: TicketTexts): string {
  return JSON.stringify({
    source: 'bench',
    externalId: randomUUID(),
    channel: 'email',
    subject: SUBJECT,
    body: texts.text(i),
    customer: { externalId: `cust-${RUN}-${Math.floor(i / 2)}`, email: 'bench@example.com', name: 'Bench Customer', locale: 'en', tier: 'standard' },
    metadata: { orderId: 'A-1001' },
  });
}
