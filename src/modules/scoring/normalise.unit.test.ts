import fc from 'fast-check';
import { normalise } from './normalise';

const WHITESPACE = [' ', ' ', ' ', '\n', '\t', '\r', '\u00a0', '\u2028', '\u3000', '\ufeff'];
const PIECES = [...WHITESPACE, 'a', 'É', 'ß', 'don’t', '?', '1'];

describe('normalise', () => {
  it('collapses every whitespace run to one space and trims, leaving the rest as folded', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }), (pieces) => {
        const text = pieces.join('');
        const expected = text
          .normalize('NFD')
          .replace(/[\u0300-\u036f]/g, '')
          .toLowerCase()
          .replace(/ß/g, 'ss')
          .replace(/’/g, "'")
          .split(/\s+/)
          .filter((word) => word !== '')
          .join(' ');
        expect(normalise(text)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
