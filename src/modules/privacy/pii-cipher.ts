import { createCipheriv, createDecipheriv, createHmac, randomFillSync } from 'node:crypto';

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
// Ids end up inside the dot-separated stored format, so they may not contain dots.
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

export type PiiCipherErrorCode = 'INVALID_KEY' | 'UNKNOWN_KEY' | 'MALFORMED' | 'TAMPERED';

/** Thrown for bad key material and for stored values that cannot be decrypted; `code` says which. */
export class PiiCipherError extends Error {
  constructor(
    readonly code: PiiCipherErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PiiCipherError';
  }
}

export interface PiiKey {
  id: string;
  key: Buffer;
}

export interface PiiCipher {
  /** The key id new values are written with (the first key of PII_ENCRYPTION_KEY). */
  readonly activeKeyId: string;
  /** Encrypts with the active key: `v1.<keyId>.<iv>.<tag>.<ciphertext>`, all base64url. */
  encrypt(plain: string): string;
  /** Decrypts with whichever known key the value names; throws PiiCipherError otherwise. */
  decrypt(stored: string): string;
  keyIdOf(stored: string): string;
  /** True when the value was written with a key other than the active one and should be re-encrypted. */
  needsRotation(stored: string): boolean;
}

function assertKey({ id, key }: PiiKey): void {
  if (!KEY_ID.test(id)) {
    throw new PiiCipherError('INVALID_KEY', `PII key id '${id}' must be 1-32 letters, digits, '_' or '-'`);
  }
  if (key.length !== KEY_BYTES) {
    throw new PiiCipherError('INVALID_KEY', `PII key '${id}' is ${key.length} bytes; AES-256 needs exactly ${KEY_BYTES}`);
  }
}

function decodeKey(id: string, base64: string): PiiKey {
  if (!BASE64.test(base64)) throw new PiiCipherError('INVALID_KEY', `PII key '${id}' is not base64`);
  const key = { id, key: Buffer.from(base64, 'base64') };
  assertKey(key);
  return key;
}

/**
 * Reads PII_ENCRYPTION_KEY. Either one base64 key (it gets the id `k1`), or a comma list
 * `id:base64,id:base64` whose FIRST entry is the active key that new values are written with; the
 * others are kept only so that older values can still be read until they are re-encrypted.
 */
export function parsePiiKeys(env: string): PiiKey[] {
  const entries = env
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e.length > 0);
  if (entries.length === 0) throw new PiiCipherError('INVALID_KEY', 'PII_ENCRYPTION_KEY is empty');
  if (entries.length === 1 && !entries[0].includes(':')) return [decodeKey('k1', entries[0])];
  const keys = entries.map((entry) => {
    const colon = entry.indexOf(':');
    if (colon < 0) throw new PiiCipherError('INVALID_KEY', 'PII_ENCRYPTION_KEY lists must be id:base64,id:base64');
    return decodeKey(entry.slice(0, colon).trim(), entry.slice(colon + 1).trim());
  });
  const ids = new Set(keys.map((k) => k.id));
  if (ids.size !== keys.length) throw new PiiCipherError('INVALID_KEY', 'PII_ENCRYPTION_KEY names the same key id twice');
  return keys;
}

interface Parts {
  keyId: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

function parseStored(stored: string): Parts {
  const parts = stored.split('.');
  if (parts.length !== 5 || parts[0] !== VERSION || !KEY_ID.test(parts[1])) {
    throw new PiiCipherError('MALFORMED', 'Not an encrypted PII value');
  }
  const [, keyId, iv, tag, ciphertext] = parts;
  const decoded = { keyId, iv: Buffer.from(iv, 'base64url'), tag: Buffer.from(tag, 'base64url'), ciphertext: Buffer.from(ciphertext, 'base64url') };
  if (decoded.iv.length !== IV_BYTES || decoded.tag.length !== TAG_BYTES) {
    throw new PiiCipherError('MALFORMED', 'Encrypted PII value has a bad IV or tag length');
  }
  return decoded;
}

// Each randomBytes() call costs a trip into OpenSSL's generator worth more than the 12 bytes: IVs are
// cut from a block filled in one call (a ticket encrypts up to five fields). The bytes are just as random.
const IV_BLOCK = Buffer.alloc(IV_BYTES * 256);
let ivOffset = IV_BLOCK.length;

/** A fresh IV. A view into the block: valid only until the next call, so use it synchronously. */
function nextIv(): Buffer {
  if (ivOffset === IV_BLOCK.length) {
    randomFillSync(IV_BLOCK);
    ivOffset = 0;
  }
  ivOffset += IV_BYTES;
  return IV_BLOCK.subarray(ivOffset - IV_BYTES, ivOffset);
}

// Binding version and key id as additional data means a value cannot be relabelled to another key.
function aadFor(keyId: string): Buffer {
  return Buffer.from(`${VERSION}.${keyId}`, 'utf8');
}

/**
 * Field-level AES-256-GCM for personal data at rest. Several keys may be known so keys can be rotated:
 * new values use `activeKeyId`, old ones stay readable, and `needsRotation` finds those to rewrite.
 */
export function createPiiCipher(keys: PiiKey[], activeKeyId: string): PiiCipher {
  keys.forEach(assertKey);
  const byId = new Map(keys.map((k) => [k.id, k.key]));
  const active = byId.get(activeKeyId);
  if (!active) throw new PiiCipherError('UNKNOWN_KEY', `Active PII key '${activeKeyId}' is not among the keys`);
  const activeAad = aadFor(activeKeyId);

  return {
    activeKeyId,
    encrypt(plain) {
      const iv = nextIv();
      const cipher = createCipheriv(ALGORITHM, active, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(activeAad);
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const fields = [iv, cipher.getAuthTag(), ciphertext].map((b) => b.toString('base64url'));
      return [VERSION, activeKeyId, ...fields].join('.');
    },

    decrypt(stored) {
      const { keyId, iv, tag, ciphertext } = parseStored(stored);
      const key = byId.get(keyId);
      if (!key) throw new PiiCipherError('UNKNOWN_KEY', `PII key '${keyId}' is not configured`);
      const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(aadFor(keyId));
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
      } catch {
        throw new PiiCipherError('TAMPERED', 'Encrypted PII value failed authentication');
      }
    },

    keyIdOf(stored) {
      return parseStored(stored).keyId;
    },

    needsRotation(stored) {
      return parseStored(stored).keyId !== activeKeyId;
    },
  };
}

/**
 * The same cipher, remembering what it decrypted, for one request that both shows and searches a
 * ticket's texts: each is decrypted once. It holds plaintext, so it lives no longer than the request.
 */
export function decryptingOnce(cipher: PiiCipher): PiiCipher {
  const plain = new Map<string, string>();
  return {
    ...cipher,
    decrypt(stored) {
      let text = plain.get(stored);
      if (text === undefined) {
        text = cipher.decrypt(stored);
        plain.set(stored, text);
      }
      return text;
    },
  };
}

/**
 * A deterministic keyed hash of a normalised value (trimmed, NFKC, lower case), so a customer can be
 * found by email or phone without storing it in clear. Use a key of its own, not an encryption key.
 */
export function blindIndex(value: string, key: Buffer): string {
  if (key.length < 16) throw new PiiCipherError('INVALID_KEY', 'Blind index key must be at least 16 bytes');
  const normalised = value.normalize('NFKC').trim().toLowerCase();
  return createHmac('sha256', key).update(normalised, 'utf8').digest('hex');
}
