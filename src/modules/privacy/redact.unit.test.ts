import { redact } from './redact';
import { codiceFiscaleValid, cpfValid, ibanValid, luhnValid, nirValid, spanishIdValid, steuerIdValid, type PiiKind } from './pii-patterns';

/** Asserts that `value`, embedded in a sentence, is replaced whole by the placeholder of `kind`. */
function expectRedacted(value: string, kind: PiiKind): void {
  const { text, counts } = redact(`Hi, it is ${value} thanks`);
  expect(text).toBe(`Hi, it is [${kind}] thanks`);
  expect(counts[kind]).toBe(1);
}

function expectUntouched(text: string): void {
  expect(redact(text).text).toBe(text);
}

describe('redact', () => {
  describe('when the text contains an email address', () => {
    test.each(['jane@example.com', 'john.doe+shop@example.co.uk', 'o.brien@mail.example.ie', 'josé.garcía@correo.es', 'USER_1@EXAMPLE.ORG'])(
      'then %s becomes [EMAIL]',
      (v) => expectRedacted(v, 'EMAIL'),
    );
    test.each(['me at example dot com', 'the @support team', 'user@localhost'])('then "%s" is left alone', expectUntouched);
  });

  describe('when the text contains a phone number', () => {
    test.each([
      '+34 600 000 000',
      '(555) 123-4567',
      '0044 20 7946 0958',
      '+49 30 1234567',
      '+1 (555) 123-4567',
      '+44 (0)20 7946 0958',
      '+33 1 23 45 67 89',
      '+55 11 91234-5678',
      '+351 912 345 678',
      '555-123-4567',
      '555.123.4567',
      '020 7946 0958',
      '06 12 34 56 78',
      '612 345 678',
      '0612345678',
      '+4915112345678',
    ])('then %s becomes [PHONE]', (v) => expectRedacted(v, 'PHONE'));

    test.each([
      ['phone: 5551234', 'phone: [PHONE]'],
      ['call me on 600000000', 'call me on [PHONE]'],
      ['mi teléfono es 612345678', 'mi teléfono es [PHONE]'],
      ['Handy 01511234567', 'Handy [PHONE]'],
    ])('then a compact number after a phone word is redacted: %s', (input, expected) => {
      expect(redact(input).text).toBe(expected);
    });

    test('then a number right after a date is still found and the date kept', () => {
      expect(redact('On 2026-11-27 call 555 123 4567.').text).toBe('On 2026-11-27 call [PHONE].');
    });
  });

  describe('when the text contains numbers that are not phone numbers', () => {
    test.each([
      'My order A-1001 has not arrived',
      'Order #100234 and order 100235',
      'Order ORD-2026-000123 is late',
      'It was delivered on 2026-11-27',
      'It was delivered on 27/11/2026 at 14:30',
      'It was delivered on 27.11.2026, 14:30',
      'It was delivered on 11-27-2026',
      'I paid 1,299.00 for it',
      'I paid €1.299,00 for it',
      'I paid 1 299,00 € for it',
      'I paid €1.299.000,00 for the fleet',
      'I was charged $12,500 twice',
      'I ordered 3 items, 2 arrived, quantity 42',
      'Reference 12345678 please',
      'Reference 123456789 please',
      'Postcode 28013 Madrid, 75001 Paris, SW1A 1AA London',
      'Version v2.3.1 and 1.2.3 of the app',
      'Tracking 1Z999AA10123456784',
      'Open 09.00 to 17.30, Monday to Friday',
      'I waited 45 minutes, 3 times, in 2026',
    ])('then "%s" is left alone', expectUntouched);
  });

  describe('when the text contains a card number', () => {
    test.each([
      '4111 1111 1111 1111',
      '4111-1111-1111-1111',
      '4111111111111111',
      '5555 5555 5555 4444',
      '378282246310005',
      '3782 822463 10005',
      '6011111111111117',
      '4242 4242 4242 4242',
      '5105-1051-0510-5100',
      '3056 9309 0259 04',
      '4222222222222',
      '2223003122003222',
      '6759649826438453',
    ])('then %s becomes [CARD]', (v) => expectRedacted(v, 'CARD'));

    test.each(['4111 1111 1111 1112', '1234 5678 9012 3456', '5555555555554445'])(
      'then %s, which fails the Luhn check, is not a card',
      (v) => expect(redact(`card ${v}`).counts.CARD).toBe(0),
    );

    test('then the whole card goes, not a phone-shaped half of it', () => {
      expect(redact('card 4111 1111 1111 1111 exp 12/28').text).toBe('card [CARD] exp 12/28');
    });
  });

  describe('when the text contains an IBAN', () => {
    test.each([
      'DE89370400440532013000',
      'DE89 3704 0044 0532 0130 00',
      'GB82 WEST 1234 5698 7654 32',
      'gb82 west 1234 5698 7654 32',
      'ES91 2100 0418 4502 0005 1332',
      'FR14 2004 1010 0505 0001 3M02 606',
      'NL91ABNA0417164300',
      'PT50 0002 0123 1234 5678 9015 4',
      'BE68 5390 0754 7034',
      'IT60X0542811101000000123456',
    ])('then %s becomes [IBAN]', (v) => expectRedacted(v, 'IBAN'));

    test('then a word after a grouped IBAN is kept', () => {
      expect(redact('ES91 2100 0418 4502 0005 1332 and thanks').text).toBe('[IBAN] and thanks');
    });

    test.each(['DE89370400440532013001', 'GB82 WEST 1234 5698 7654 33', 'DE8937040044053201300'])(
      'then %s, with a bad checksum or length, is not an IBAN',
      (v) => expect(redact(`iban ${v}`).counts.IBAN).toBe(0),
    );
  });

  describe('when the text contains a national id', () => {
    test.each([
      ['US SSN', '123-45-6789'],
      ['US SSN', '078-05-1120'],
      ['Spanish DNI', '12345678Z'],
      ['Spanish DNI', '12345678-Z'],
      ['Spanish DNI, lower case', '12345678z'],
      ['Spanish NIE', 'X1234567L'],
      ['Spanish NIE', 'Y-1234567-X'],
      ['Spanish NIE', 'Z7654321H'],
      ['UK NI number', 'AB 12 34 56 C'],
      ['UK NI number', 'JG103759A'],
      ['Brazilian CPF', '529.982.247-25'],
      ['Brazilian CPF', '11144477735'],
      ['French INSEE', '1 84 12 76 451 089 46'],
      ['French INSEE', '269054958815780'],
      ['German Steuer-ID', '86095742719'],
    ])('then a %s (%s) becomes [NATIONAL_ID]', (_label, v) => expectRedacted(v, 'NATIONAL_ID'));

    test.each([
      ['SSN with area 000', '000-12-3456'],
      ['SSN with area 666', '666-12-3456'],
      ['SSN with group 00', '123-00-4567'],
      ['DNI with the wrong letter', '12345678A'],
      ['NI number with a prefix never issued', 'GB 12 34 56 A'],
      ['CPF of one repeated digit', '111.111.111-11'],
      ['CPF with a wrong check digit', '529.982.247-26'],
      ['INSEE with a wrong key', '1 84 12 76 451 089 47'],
    ])('then a %s (%s) is not an id', (_label, v) => expect(redact(`id ${v}`).counts.NATIONAL_ID).toBe(0));

    test.each([
      ['Italian codice fiscale', 'RSSMRA85T10A562S'],
      ['Italian codice fiscale with letters for digits', 'MRTMTT25D09F205Z'],
    ])('then an %s (%s) becomes [NATIONAL_ID] wherever it stands', (_label, v) => expectRedacted(v, 'NATIONAL_ID'));

    test.each([
      ['My SSN is 123456789, thanks', 'My SSN is [NATIONAL_ID], thanks'],
      ['social security number 078 05 1120', 'social security number [NATIONAL_ID]'],
      ['O meu NIF: 123456789', 'O meu NIF: [NATIONAL_ID]'],
      ['Personalausweisnummer L01X00T47 bitte', 'Personalausweisnummer [NATIONAL_ID] bitte'],
      ['my ID card number is T22000129', 'my ID card number is [NATIONAL_ID]'],
      ['Passport number 502135326 expired', 'Passport number [NATIONAL_ID] expired'],
      ['número de pasaporte PAA123456', 'número de pasaporte [NATIONAL_ID]'],
    ])('then an id without a checksum is redacted when the sentence names it: %s', (input, expected) => {
      expect(redact(input).text).toBe(expected);
    });

    test.each([
      'Reference 123456789 please',
      'Ich habe nie 123456 bestellt',
      'My passport expired, order 12345 was not delivered',
      'Il codice fiscale RSSMRA85T10A562T ha una lettera sbagliata',
    ])('then "%s" keeps its number: no id word names it, or its check letter is wrong', expectUntouched);
  });

  describe('when the text contains a street address', () => {
    test.each([
      '123 Main Street',
      '10 Downing St',
      '742 Evergreen Terrace',
      '1600 Pennsylvania Avenue',
      '221B Baker Street',
      'Calle Mayor 5',
      'Avenida de la Constitución 12',
      'C/ Gran Vía 28',
      'rue de Rivoli 12',
      '12 rue de Rivoli',
      '5, avenue des Champs-Élysées',
      'Hauptstraße 5',
      'Berliner Straße 12a',
      'Lindenweg 3',
      'Rua Augusta 100',
      'Rua Augusta, 100',
      'Avenida da Liberdade 245',
    ])('then %s becomes [ADDRESS]', (v) => expectRedacted(v, 'ADDRESS'));

    test.each([
      'I bought 2 Nike shoes on Main street',
      'Bring 5 items to the counter',
      'Our spring 2026 collection',
      'The street was closed for 3 days',
      'I live in Madrid',
    ])('then "%s" is left alone', expectUntouched);
  });

  describe('when the text contains an IP address', () => {
    test.each(['192.168.1.10', '10.0.0.1', '8.8.8.8'])('then %s becomes [IP]', (v) => expectRedacted(v, 'IP'));
    test.each(['version 1.2.3', 'address 999.1.1.1', 'build 1.2.3.4.5'])('then "%s" is left alone', expectUntouched);
  });

  describe('when the text mixes kinds', () => {
    const ticket =
      'Hi, I am Ana (ana.lopez@example.es, +34 612 345 678, DNI 12345678Z). My order A-1001 from 2026-11-27 ' +
      'for 1,299.00 was charged twice to card 4111 1111 1111 1111. Please refund to ES91 2100 0418 4502 0005 1332. ' +
      'I live at Calle Mayor 5, 28013 Madrid.';

    test('then every value is replaced and the rest of the text kept', () => {
      const { text, counts } = redact(ticket);
      expect(text).toBe(
        'Hi, I am Ana ([EMAIL], [PHONE], DNI [NATIONAL_ID]). My order A-1001 from 2026-11-27 ' +
          'for 1,299.00 was charged twice to card [CARD]. Please refund to [IBAN]. ' +
          'I live at [ADDRESS], 28013 Madrid.',
      );
      expect(counts).toEqual({ EMAIL: 1, PHONE: 1, NATIONAL_ID: 1, CARD: 1, IBAN: 1, ADDRESS: 1, IP: 0 });
    });

    test('then redacting twice changes nothing more', () => {
      const once = redact(ticket);
      const twice = redact(once.text);
      expect(twice.text).toBe(once.text);
      expect(Object.values(twice.counts).every((n) => n === 0)).toBe(true);
    });

    test('then no original value survives in the output', () => {
      const originals = ['ana.lopez', '612 345 678', '12345678Z', '4111', '0418 4502', 'Calle Mayor'];
      const { text } = redact(ticket);
      for (const value of originals) expect(text).not.toContain(value);
    });

    test('then text without personal data comes back unchanged with zero counts', () => {
      const { text, counts } = redact('Where is my parcel? It has been 5 days.');
      expect(text).toBe('Where is my parcel? It has been 5 days.');
      expect(Object.values(counts).every((n) => n === 0)).toBe(true);
    });
  });
});

describe('redact on hostile input', () => {
  // Ticket bodies may be 64 KiB; a pattern that backtracks quadratically would stall the worker.
  const size = 64 * 1024;
  test.each([
    ['one long digit run', '1'.repeat(size)],
    ['a long run of e-mail name characters', 'a.'.repeat(size / 2)],
    ['a long alphanumeric token', 'AB12'.repeat(size / 4)],
    ['spaced digits', '1 '.repeat(size / 2)],
    ['a dotted domain without a top-level domain', 'a@' + 'b.'.repeat(size / 2)],
    ['grouped digits after an IBAN prefix', 'DE89 ' + '1234 '.repeat(size / 5)],
  ])('when the text is %s, then redaction finishes quickly', (_label, text) => {
    const started = Date.now();
    redact(text);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('checksums', () => {
  test('when given known valid and invalid values, then each check tells them apart', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(ibanValid('GB82WEST12345698765432')).toBe(true);
    expect(ibanValid('GB82WEST12345698765433')).toBe(false);
    expect(spanishIdValid('12345678Z')).toBe(true);
    expect(spanishIdValid('X1234567L')).toBe(true);
    expect(spanishIdValid('X1234567A')).toBe(false);
    expect(cpfValid('52998224725')).toBe(true);
    expect(cpfValid('52998224724')).toBe(false);
    expect(nirValid('2690549588157' + '80')).toBe(true);
    expect(nirValid('2A90549588157' + '80')).toBe(false);
    expect(steuerIdValid('86095742719')).toBe(true);
    expect(steuerIdValid('86095742718')).toBe(false);
    expect(steuerIdValid('11111111111')).toBe(false);
    expect(codiceFiscaleValid('RSSMRA85T10A562S')).toBe(true);
    expect(codiceFiscaleValid('RSSMRA85T10A562T')).toBe(false);
  });
});
