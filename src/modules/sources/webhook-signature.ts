import { createHmac, timingSafeEqual } from 'node:crypto';

/** The contract's window: a `t` further than this from now (either way) is refused. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export type SignatureRefusal = 'missing' | 'malformed' | 'stale' | 'mismatch';

/** `X-Handoff-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. */
export function signWebhook(secret: string, rawBody: Buffer | string, nowSeconds = Math.floor(Date.now() / 1000)): string {
  return `t=${nowSeconds},v1=${hmacHex(secret, nowSeconds, rawBody)}`;
}

function hmacHex(secret: string, t: number, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(`${t}.`, 'utf8').update(rawBody).digest('hex');
}

function parseHeader(header: string): { t: number; v1: string[] } | null {
  if (header.length > 2000) return null;
  let t: number | undefined;
  const v1: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return null;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name === 't') {
      if (t !== undefined || !/^\d{1,12}$/.test(value)) return null;
      t = Number(value);
    } else if (name === 'v1') {
      if (!/^[0-9a-f]{64}$/i.test(value)) return null;
      v1.push(value.toLowerCase());
    }
    // Other schemes (v0, a future v2) are ignored, as senders may send several.
  }
  return t === undefined || v1.length === 0 ? null : { t, v1 };
}

/**
 * Checks a signature header against every currently valid secret (several during a rotation).
 * Returns null when one matches, else why not. Comparison is constant-time per candidate, and every
 * candidate is compared, so timing does not reveal which secret or which signature came close.
 */
export function verifyWebhook(
  header: string | undefined,
  rawBody: Buffer,
  secrets: string[],
  nowSeconds = Math.floor(Date.now() / 1000),
): SignatureRefusal | null {
  if (!header) return 'missing';
  const parsed = parseHeader(header);
  if (!parsed) return 'malformed';
  if (Math.abs(nowSeconds - parsed.t) > SIGNATURE_TOLERANCE_SECONDS) return 'stale';
  let matched = false;
  for (const secret of secrets) {
    const expected = Buffer.from(hmacHex(secret, parsed.t, rawBody), 'hex');
    for (const given of parsed.v1) {
      if (timingSafeEqual(expected, Buffer.from(given, 'hex'))) matched = true;
    }
  }
  return matched ? null : 'mismatch';
}
