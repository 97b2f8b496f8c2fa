import { signWebhook, verifyWebhook } from './webhook-signature';

const body = Buffer.from('{"source":"zendesk","body":"hello"}');
const now = 1_800_000_000;

describe('webhook signatures', () => {
  test('when signed with the secret, then accepted', () => {
    expect(verifyWebhook(signWebhook('s3cret-s3cret-s3cret', body, now), body, ['s3cret-s3cret-s3cret'], now)).toBeNull();
  });

  test('when signed with the previous secret during a rotation, then accepted', () => {
    expect(verifyWebhook(signWebhook('old-secret-old-secret', body, now), body, ['new-secret-new-secret', 'old-secret-old-secret'], now)).toBeNull();
  });

  test('when the header carries several v1 values and one matches, then accepted', () => {
    const good = signWebhook('s3cret-s3cret-s3cret', body, now).split('v1=')[1];
    expect(verifyWebhook(`t=${now},v1=${'0'.repeat(64)},v1=${good}`, body, ['s3cret-s3cret-s3cret'], now)).toBeNull();
  });

  test.each([
    ['a changed body', signWebhook('s3cret-s3cret-s3cret', body, now), Buffer.from('{"source":"zendesk","body":"hellO"}'), now, 'mismatch'],
    ['another secret', signWebhook('other-secret-other', body, now), body, now, 'mismatch'],
    ['a timestamp 301 s old', signWebhook('s3cret-s3cret-s3cret', body, now - 301), body, now, 'stale'],
    ['a timestamp 301 s ahead', signWebhook('s3cret-s3cret-s3cret', body, now + 301), body, now, 'stale'],
    ['the timestamp changed after signing', signWebhook('s3cret-s3cret-s3cret', body, now).replace(`t=${now}`, `t=${now + 1}`), body, now, 'mismatch'],
    ['no header', undefined, body, now, 'missing'],
    ['no v1', `t=${now}`, body, now, 'malformed'],
    ['a non-hex v1', `t=${now},v1=${'z'.repeat(64)}`, body, now, 'malformed'],
    ['a short v1', `t=${now},v1=abcd`, body, now, 'malformed'],
    ['a non-numeric t', `t=soon,v1=${'0'.repeat(64)}`, body, now, 'malformed'],
    ['two t values', `t=${now},t=${now},v1=${'0'.repeat(64)}`, body, now, 'malformed'],
  ])('when the request has %s, then refused', (_name, header, raw, at, reason) => {
    expect(verifyWebhook(header as string | undefined, raw as Buffer, ['s3cret-s3cret-s3cret'], at as number)).toBe(reason);
  });

  test('when signed 300 s ago exactly, then still accepted', () => {
    expect(verifyWebhook(signWebhook('s3cret-s3cret-s3cret', body, now - 300), body, ['s3cret-s3cret-s3cret'], now)).toBeNull();
  });
});
