import { decideRoute } from '../routing/routing-policy';
import { scoreTicket } from './score-ticket';
import labelled from './labelled-messages.json';
import { FLAGS } from './types';

interface Labelled {
  text: string;
  subject?: string;
  language: string;
  needsHuman: boolean;
  flags: string[];
}

const rows = labelled as Labelled[];
const results = rows.map((row) => {
  const score = scoreTicket({ subject: row.subject, body: row.text });
  const route = decideRoute(score, { aiOptOut: false, tier: 'standard', recentTicketCount: 0 }).route;
  return { row, score, human: route === 'human' };
});

const truePositives = results.filter((r) => r.human && r.row.needsHuman).length;
const precision = truePositives / results.filter((r) => r.human).length;
const recall = truePositives / results.filter((r) => r.row.needsHuman).length;

function flagRecall(flag: string): { caught: number; total: number } {
  const expected = results.filter((r) => r.row.flags.includes(flag));
  return { caught: expected.filter((r) => (r.score.flags as string[]).includes(flag)).length, total: expected.length };
}

describe('labelled support messages', () => {
  afterAll(() => {
    const lines = [`needs-human precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)} over ${rows.length} messages`];
    for (const flag of FLAGS) {
      const { caught, total } = flagRecall(flag);
      if (total > 0) lines.push(`  ${flag.padEnd(22)} recall ${(caught / total).toFixed(3)} (${caught}/${total})`);
    }
    const wrong = results.filter((r) => r.human !== r.row.needsHuman).map((r) => `  ${r.human ? 'FP' : 'FN'}: ${r.row.text}`);
    console.log([...lines, ...wrong].join('\n'));
  });

  it('holds at least 150 messages', () => {
    expect(rows.length).toBeGreaterThanOrEqual(150);
  });

  it('sends those that need a person to a person (recall >= 0.95)', () => {
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });

  it('leaves routine ones to the AI (precision >= 0.9)', () => {
    expect(precision).toBeGreaterThanOrEqual(0.9);
  });

  it('catches every safety message', () => {
    const { caught, total } = flagRecall('safety');
    expect(total).toBeGreaterThan(0);
    expect(caught).toBe(total);
  });
});
