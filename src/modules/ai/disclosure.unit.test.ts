import { aiDisclosure, DISCLOSURE_LANGUAGES, disclosureLanguage, escalationNotice, TALK_TO_A_PERSON } from './disclosure';

const now = new Date('2026-11-27T10:00:00Z');
const due = new Date('2026-11-27T14:30:00Z');

describe('aiDisclosure', () => {
  test.each(DISCLOSURE_LANGUAGES)('when the language is %s, then one sentence names the AI and the reply phrase', (lang) => {
    const text = aiDisclosure(lang);
    expect(text).toContain(TALK_TO_A_PERSON[lang]);
    expect(text).toMatch(/\b(AI|IA|KI)\b/);
    expect(text.match(/[.!?](\s|$)/g)).toHaveLength(1);
  });

  test.each([
    ['es-MX', 'es'],
    ['PT-br', 'pt'],
    ['fr_CA', 'fr'],
    ['und', 'en'],
    ['it', 'en'],
    ['', 'en'],
  ])('when the language is "%s", then the %s text is used', (input, expected) => {
    expect(disclosureLanguage(input)).toBe(expected);
    expect(aiDisclosure(input)).toBe(aiDisclosure(expected));
  });
});

describe('escalationNotice', () => {
  test.each([
    ['en', 'We have passed your request to our support team. A member of our team will reply by 27 Nov 2026, 14:30 UTC.'],
    ['es', 'Hemos pasado tu solicitud a nuestro equipo de atención al cliente. Una persona de nuestro equipo te responderá antes del 27 nov 2026, 14:30 UTC.'],
    ['fr', 'Nous avons transmis votre demande à notre équipe d’assistance. Un membre de notre équipe vous répondra d’ici le 27 nov. 2026, 14:30 UTC.'],
    ['de', 'Wir haben Ihre Anfrage an unser Support-Team weitergegeben. Ein Mitglied unseres Teams antwortet Ihnen bis zum 27. Nov. 2026, 14:30 UTC.'],
    ['pt', 'Encaminhámos o seu pedido para a nossa equipa de apoio ao cliente. Uma pessoa da nossa equipa irá responder até 27/11/2026, 14:30 UTC.'],
  ])('when the language is %s, then the due time is given in UTC', (lang, expected) => {
    expect(escalationNotice(lang, due, now)).toBe(expected);
  });

  test('when the due time is just after midnight UTC, then the UTC date is used, not a local one', () => {
    expect(escalationNotice('en', new Date('2026-11-28T00:05:00Z'), now)).toContain('28 Nov 2026, 00:05 UTC');
  });

  test('when the due time has already passed, then no past date is promised', () => {
    const text = escalationNotice('en', new Date('2026-11-27T09:00:00Z'), now);
    expect(text).toBe('We have passed your request to our support team. A member of our team will reply as soon as possible.');
    expect(escalationNotice('de', now, now)).toContain('so bald wie möglich');
  });

  test('when the language is unsupported, then the notice is in English', () => {
    expect(escalationNotice('ja', due, now)).toBe(escalationNotice('en', due, now));
  });
});
