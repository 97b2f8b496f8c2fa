import { randomBytes } from 'node:crypto';
import { blindIndex, createPiiCipher, decryptingOnce, parsePiiKeys, PiiCipherError, type PiiCipherErrorCode } from './pii-cipher';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };

function expectCipherError(fn: () => unknown, code: PiiCipherErrorCode): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PiiCipherError);
    expect((e as PiiCipherError).code).toBe(code);
    return;
  }
  throw new Error(`expected PiiCipherError ${code}`);
}

/** Flips one character of the given field of a stored value while keeping it valid base64url. */
function tamper(stored: string, field: number): string {
  const parts = stored.split('.');
  const bytes = Buffer.from(parts[field], 'base64url');
  bytes[0] ^= 0x01;
  parts[field] = bytes.toString('base64url');
  return parts.join('.');
}

describe('createPiiCipher', () => {
  const cipher = createPiiCipher([k1, k2], 'k1');

  test('when a value is encrypted, then it decrypts to the same text and never shows it', () => {
    for (const plain of ['ana.lopez@example.es', '', 'José Müller — 東京', 'x'.repeat(5000)]) {
      const stored = cipher.encrypt(plain);
      expect(stored).toMatch(/^v1\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]*$/);
      if (plain) expect(stored).not.toContain(plain);
      expect(cipher.decrypt(stored)).toBe(plain);
    }
  });

  test('when the same value is encrypted twice, then the outputs differ (random IV)', () => {
    expect(cipher.encrypt('same')).not.toBe(cipher.encrypt('same'));
  });

  test('when many values are encrypted, then every IV is distinct and every value decrypts, across IV block refills', () => {
    const stored = Array.from({ length: 2_000 }, (_, i) => cipher.encrypt(`value ${i}`));
    expect(new Set(stored.map((s) => s.split('.')[2])).size).toBe(stored.length);
    stored.forEach((s, i) => expect(cipher.decrypt(s)).toBe(`value ${i}`));
  });

  test('when a value is decrypted twice through decryptingOnce, then both reads give the text and a tampered value still fails', () => {
    const once = decryptingOnce(cipher);
    const stored = cipher.encrypt('shown and searched');
    expect([once.decrypt(stored), once.decrypt(stored)]).toEqual(['shown and searched', 'shown and searched']);
    expectCipherError(() => once.decrypt(tamper(stored, 4)), 'TAMPERED');
    expect(once.activeKeyId).toBe(cipher.activeKeyId);
  });

  test('when the active key changes, then old values still decrypt and are flagged for rotation', () => {
    const old = cipher.encrypt('old value');
    const rotated = createPiiCipher([k2, k1], 'k2');
    expect(rotated.keyIdOf(old)).toBe('k1');
    expect(rotated.needsRotation(old)).toBe(true);
    const rewritten = rotated.encrypt(rotated.decrypt(old));
    expect(rotated.keyIdOf(rewritten)).toBe('k2');
    expect(rotated.needsRotation(rewritten)).toBe(false);
    expect(rotated.decrypt(rewritten)).toBe('old value');
  });

  test('when the key id is unknown, then decrypt throws UNKNOWN_KEY', () => {
    const onlyK2 = createPiiCipher([k2], 'k2');
    expectCipherError(() => onlyK2.decrypt(cipher.encrypt('secret')), 'UNKNOWN_KEY');
  });

  test.each([
    ['the IV', 2],
    ['the tag', 3],
    ['the ciphertext', 4],
  ])('when %s is altered, then decrypt throws TAMPERED', (_label, field) => {
    expectCipherError(() => cipher.decrypt(tamper(cipher.encrypt('secret'), field)), 'TAMPERED');
  });

  test('when a value is relabelled with another known key id, then decrypt throws TAMPERED', () => {
    const relabelled = cipher.encrypt('secret').replace(/^v1\.k1\./, 'v1.k2.');
    expectCipherError(() => cipher.decrypt(relabelled), 'TAMPERED');
  });

  test.each(['plain text', 'v2.k1.a.b.c', 'v1.k1.AAAA.BBBB.CCCC', 'v1.bad.id!.a.b', ''])(
    'when the stored value is "%s", then it is MALFORMED',
    (stored) => expectCipherError(() => cipher.decrypt(stored), 'MALFORMED'),
  );

  test('when a key is not 32 bytes or the active id is missing, then creation fails clearly', () => {
    expectCipherError(() => createPiiCipher([{ id: 'k1', key: randomBytes(16) }], 'k1'), 'INVALID_KEY');
    expectCipherError(() => createPiiCipher([{ id: 'a.b', key: randomBytes(32) }], 'a.b'), 'INVALID_KEY');
    expectCipherError(() => createPiiCipher([k1], 'k9'), 'UNKNOWN_KEY');
  });
});

describe('parsePiiKeys', () => {
  const b64 = (key: Buffer): string => key.toString('base64');

  test('when given one base64 key, then it is k1', () => {
    const keys = parsePiiKeys(b64(k1.key));
    expect(keys).toEqual([{ id: 'k1', key: k1.key }]);
  });

  test('when given a list, then ids and order are kept and the first is the active one', () => {
    const keys = parsePiiKeys(` k2:${b64(k2.key)} , k1:${b64(k1.key)}`);
    expect(keys.map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(keys[1].key.equals(k1.key)).toBe(true);
    const cipher = createPiiCipher(keys, keys[0].id);
    expect(cipher.keyIdOf(cipher.encrypt('x'))).toBe('k2');
  });

  test.each([
    ['empty', ''],
    ['too short', randomBytes(16).toString('base64')],
    ['too long', randomBytes(48).toString('base64')],
    ['not base64', 'not base64 at all!'],
    ['a list entry without id', `${randomBytes(32).toString('base64')},${randomBytes(32).toString('base64')}`],
    ['a duplicate id', `a:${randomBytes(32).toString('base64')},a:${randomBytes(32).toString('base64')}`],
  ])('when the key is %s, then it is rejected with INVALID_KEY', (_label, env) => {
    expectCipherError(() => parsePiiKeys(env), 'INVALID_KEY');
  });
});

describe('blindIndex', () => {
  const key = randomBytes(32);

  test('when two spellings of one email are indexed, then they match and reveal nothing', () => {
    const a = blindIndex(' Ana.Lopez@Example.ES ', key);
    expect(a).toBe(blindIndex('ana.lopez@example.es', key));
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toBe(blindIndex('ana.lopez@example.es', randomBytes(32)));
    expect(a).not.toBe(blindIndex('ana.lopez@example.com', key));
  });

  test('when the key is too short, then it is rejected', () => {
    expectCipherError(() => blindIndex('x', Buffer.alloc(8)), 'INVALID_KEY');
  });
});
