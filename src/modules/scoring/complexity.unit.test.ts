import fc from 'fast-check';
import { scoreComplexity } from './complexity';

/** How many technical signals the technical feature counted (it adds 0.25 / 3 for each, up to 3). */
const technicalSignals = (body: string) => Math.round((scoreComplexity(body, []).features.technical * 3) / 0.25);

describe('scoreComplexity technical signals', () => {
  test('when error names come in any case and acronyms as written, then each whole word counts once', () => {
    expect(technicalSignals('a TYPEERROR from the API')).toBe(2);
    expect(technicalSignals('Stack Trace, then a core dump')).toBe(2);
    expect(technicalSignals('the webhook token')).toBe(2);
  });

  test('when an acronym is lowercase or a word only contains a signal, then nothing counts', () => {
    expect(technicalSignals('the api and the apiToken, JSONs and exceptions')).toBe(0);
  });

  // No "_" or "-" here: those would let the constant-name signal count too.
  test('when random texts mix error names and acronyms, then the count is that of the two lists scanned apart', () => {
    const errorNames = /\b(?:Traceback|Exception|NullPointer|TypeError|ReferenceError|stack ?trace|segfault|core dump)\b/gi;
    const acronyms = /\b(?:API|SDK|webhook|OAuth|SSO|SAML|DNS|SMTP|TLS|SSL|JSON|XML|CSV|endpoint|token)\b/g;
    const piece = fc.constantFrom('exception', 'EXCEPTION', 'Traceback', 'stack', 'trace', 'stacktrace', 'core', 'dump', 'API', 'api', 'Token', 'token', 'OAuth', 'JSON', 'x', ' ', ' ', '.', 'é', 'ı');
    const text = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (t) => {
        const apart = (t.match(errorNames)?.length ?? 0) + (t.match(acronyms)?.length ?? 0);
        expect(technicalSignals(t)).toBe(Math.min(3, apart));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('scoreComplexity on long bodies', () => {
  test('when "error" is followed by 20,000 spaces, then the error-code regex does not backtrack', () => {
    const start = process.hrtime.bigint();
    scoreComplexity(`error${' '.repeat(20000)}x1`, []);
    expect(Number(process.hrtime.bigint() - start) / 1e6).toBeLessThan(100);
  });
});
