import fc from 'fast-check';
import { COMPLEXITY_FEATURES, scoreComplexity, trieSource } from './complexity';
import { scoreTicket } from './score-ticket';

/** How many technical signals the technical feature counted (it adds 0.4 / 6 for each, up to 6). */
const technicalSignals = (body: string) => Math.round((scoreComplexity(body, []).features.technical * 6) / 0.4);
/** How many separate asks the questions feature counted past the first (0.25 / 2 each, up to 2 more). */
const extraAsks = (body: string) => Math.round((scoreComplexity(body, []).features.questions * 2) / 0.25);
const complexity = (body: string, subject?: string) => scoreTicket({ subject, body }).complexity;

describe('scoreComplexity technical signals', () => {
  test('when error names come in any case and acronyms as written, then each whole word counts once', () => {
    expect(technicalSignals('a TYPEERROR from the API')).toBe(2);
    expect(technicalSignals('Stack Trace, then a core dump')).toBe(2);
    expect(technicalSignals('the webhook token')).toBe(2);
  });

  test('when an acronym is lowercase or a word only contains a signal, then nothing counts', () => {
    expect(technicalSignals('the api and the apiToken, JSONs and exceptions')).toBe(0);
    expect(technicalSignals('a good rest, then sap and entra')).toBe(0);
  });

  test('when a term is repeated or in the plural, then it is one subject', () => {
    expect(technicalSignals('Webhooks fail. The webhook is late, every webhook.')).toBe(1);
  });

  test('when integration words come in the served languages, then they count', () => {
    expect(technicalSignals('la synchronisation du connecteur')).toBe(2);
    expect(technicalSignals('la integración con el entorno de pruebas')).toBe(2);
    expect(technicalSignals('die Schnittstelle und die Zugangsdaten')).toBe(2);
    expect(technicalSignals('a integração e as credenciais')).toBe(2);
  });

  test('when shapes of code appear, then they count in any language', () => {
    expect(technicalSignals('GET /v2/orders')).toBe(1);
    expect(technicalSignals('les événements order.created')).toBe(1);
    expect(technicalSignals('fehlt: invalid_grant')).toBe(1);
    expect(technicalSignals('lots of 502s')).toBe(1);
    expect(technicalSignals('it returns 401 and devuelve un 500')).toBe(2);
    expect(technicalSignals("erreur AADSTS50020 à l'ouverture")).toBe(1);
  });

  test('when prose looks a little like code, then nothing counts', () => {
    expect(technicalSignals('see www.example.com or mail jo.smith@example.fr, e.g. on 12/06/2024 and/or later')).toBe(0);
    expect(technicalSignals('I paid £89.99, then 500 euros for 400 chairs. Thanks.I will wait')).toBe(0);
    expect(technicalSignals('my_name@example.com')).toBe(0);
  });
});

describe('trieSource', () => {
  // Longest first, as the trie's greedy branches take the longest word that ends at a word boundary.
  const flat = (words: string[]) => new RegExp(`\\b(?:${[...words].sort((a, b) => b.length - a.length).join('|')})\\b`, 'g');
  test('when random words are found in random texts, then the trie finds what a flat list of them finds', () => {
    const word = fc.array(fc.constantFrom('a', 'b', 'c', ' '), { minLength: 1, maxLength: 5 }).map((cs) => cs.join('').trim()).filter((w) => w.length > 0);
    const text = fc.array(fc.constantFrom('a', 'b', 'c', ' ', '.', 'é'), { maxLength: 24 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(fc.uniqueArray(word, { minLength: 1, maxLength: 6 }), text, (words, t) => {
        const trie = new RegExp(`\\b(?:${trieSource(words, (c) => c)})\\b`, 'g');
        expect(t.match(trie)).toEqual(t.match(flat(words)));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('scoreComplexity separate asks', () => {
  test('when lines open with bullets or numbers, then each is an ask', () => {
    expect(extraAsks('We need:\n- a\n- b\n- c')).toBe(2);
    expect(extraAsks('Issues:\n1. a\n2. b')).toBe(1);
    expect(extraAsks('Issues:\n  • a\n  • b\n  • c\n  • d')).toBe(2);
  });

  test('when items are numbered or lettered within a line, then they count from 1 or "a"', () => {
    expect(extraAsks('Three things: 1) the lid 2) the charge (see 2) above) 3) the points.')).toBe(2);
    expect(extraAsks('Zwei Punkte: a) die Rechnung, b) die Lieferung.')).toBe(1);
  });

  test('when numbers or dashes are not a list, then nothing counts', () => {
    expect(extraAsks('I was home (at 3) and then (at 4) too.\n2. Mahnung erhalten\n-- \nTom')).toBe(0);
  });

  test('when parts are enumerated in prose, then each place is an ask, in every served language', () => {
    expect(extraAsks('First, the invoice is wrong, second the API returns 502, and third the export times out.')).toBe(2);
    expect(extraAsks('Firstly, thanks. Secondly, where is my order?')).toBe(1);
    expect(extraAsks('Primero, la factura está mal; segundo, falta una pieza; y tercero, la app no funciona.')).toBe(2);
    expect(extraAsks('Premièrement, la facture est fausse. Deuxièmement, le colis est abîmé.')).toBe(1);
    expect(extraAsks('Erstens stimmt die Rechnung nicht, zweitens fehlt ein Teil und drittens ist die App kaputt.')).toBe(2);
    expect(extraAsks('Primeiro, a fatura está errada; segundo, falta uma peça e terceiro o app não abre.')).toBe(2);
  });

  test('when ordinals are not an enumeration, then nothing counts', () => {
    expect(extraAsks('This is the first time my second order was late, and the third parcel too.')).toBe(0);
    expect(extraAsks('Second, the lid is cracked. Third, the box was open.')).toBe(0);
    expect(extraAsks('Tenho um quarto reservado. Primeiro quero saber o horário.')).toBe(0);
  });

  test('when list items are also questions, then they are not counted twice', () => {
    expect(extraAsks('- Can I swap it?\n- Who pays postage?')).toBe(1);
  });
});

describe('scoreComplexity on whole messages', () => {
  const integrationEn = [
    'Hi,',
    '',
    "Since Friday's maintenance window our NetSuite integration has been misbehaving and we cannot pin it down:",
    '- the invoice.paid webhook arrives three or four times for the same invoice, so payments are booked twice',
    '- POST /v1/shipments returns 422 for any parcel over 30 kg, with the message weight_out_of_range',
    '- our OAuth refresh token expires after an hour instead of 30 days',
    '',
    'Our finance and warehouse teams both depend on this. Could an engineer look at our setup this week?',
    '',
    'Thanks,',
    'Priya, Systems Lead',
  ].join('\n');
  const integrationFr = [
    'Bonjour,',
    '',
    'Depuis la migration de vendredi, notre connecteur avec votre API pose plusieurs problèmes dans nos deux entrepôts :',
    '1. les événements stock.updated arrivent avec deux heures de retard ;',
    "2. l'appel GET /api/v2/produits renvoie une erreur 500 dès qu'on dépasse 200 références ;",
    "3. le jeton d'accès expire toutes les dix minutes, alors que rien n'a changé de notre côté.",
    '',
    'Pourriez-vous nous mettre en relation avec un ingénieur ?',
    '',
    'Claire, responsable informatique',
  ].join('\n');
  const integrationDe =
    'Guten Tag, seit dem letzten Update läuft unsere Anbindung an Ihre Schnittstelle nicht mehr sauber: a) der Endpunkt /api/v1/artikel ' +
    'liefert 504 nach etwa 30 Sekunden, b) Webhooks für shipment.created kommen doppelt, c) die Zugangsdaten für die Testumgebung ' +
    'werden nicht mehr akzeptiert. Bitte melden Sie sich bei unserem Entwickler, wir brauchen das vor der Inventur.';

  test.each([
    ['English', integrationEn],
    ['French', integrationFr],
    ['German', integrationDe],
  ])('when a %s email lists several integration faults, then it is complex enough for a person', (_, body) => {
    expect(complexity(body)).toBeGreaterThanOrEqual(0.7);
  });

  test('when a long, calm story is about one late parcel, then it stays with the AI', () => {
    const story = [
      'Hello,',
      '',
      'I hope you are well. I am writing about a parcel I ordered at the start of the month, order 55120. It was a birthday',
      'present for my sister, a set of ceramic mugs in dark green, and I chose standard delivery because the site said it would',
      'take three to five working days, which would have been plenty of time. The confirmation email arrived straight away and',
      'the tracking showed it leaving your warehouse the next morning, so I did not think any more about it.',
      '',
      'Since then the tracking has said "in transit" for nine days. I checked with my neighbours in case it had been left with',
      'one of them, and I looked in the shed and behind the bins, which is where couriers sometimes leave things on our road.',
      'Nothing so far. I also rang the local depot, but they told me they could only help if the sender asked them to look.',
      'The birthday itself has now passed, which is a shame, but my sister was very understanding about it and we have',
      'agreed she will have them as a late present, so there is no great rush on my side.',
      '',
      'I am not cross, and I have always had good service from you before, so I assume something has simply gone astray',
      'somewhere along the way. Could you let me know whether the parcel is still moving, and if it is lost, whether you',
      'could send another set? I am happy to wait a few more days if that is what the courier needs, and I will be at home',
      'most afternoons this week if someone needs to bring it round or take a signature.',
      '',
      'Many thanks for your help,',
      'Margaret',
    ].join('\n');
    expect(story.length).toBeGreaterThan(1000);
    expect(complexity(story)).toBeLessThan(0.7);
  });

  test('when a friendly email lists questions about one exchange, then it stays with the AI', () => {
    const exchange =
      'Hola, me llegó ayer la chaqueta (pedido 77310) y me queda grande. Tengo unas dudas:\n' +
      '1. ¿Puedo cambiarla por una talla menor?\n2. ¿Quién paga el envío de la devolución?\n3. ¿Puedo dejarla en una tienda?\n' +
      '4. ¿Cuánto tarda el reembolso si no hay talla?\nMuchas gracias, Lucía';
    expect(complexity(exchange)).toBeLessThan(0.7);
  });

  test('when a question is short, then complexity is low', () => {
    expect(complexity('How do I reset my password?')).toBeLessThan(0.2);
    expect(complexity('¿Dónde está mi pedido?')).toBeLessThan(0.2);
  });

  test('when random texts are scored, then no single feature reaches the handoff threshold', () => {
    const piece = fc.constantFrom('API ', 'webhook ', 'order.created ', '/v1/x/y ', '502s ', '\n- item ', '1) ', 'why? ', 'how? ', 'order 12345 ', '#99887 ', 'x'.repeat(300));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.subarray(['billing', 'technical', 'account', 'shipping'] as const), (parts, topics) => {
        const { features } = scoreComplexity(parts.join(''), topics);
        for (const feature of COMPLEXITY_FEATURES) expect(features[feature]).toBeLessThan(0.7);
      }),
      { numRuns: 500 },
    );
  });

  test('when a 20,000-character body is built to make regexes backtrack, then it is still scored quickly', () => {
    const bodies = [
      `error${' '.repeat(20000)}x1`,
      `${'a_'.repeat(10000)}@`,
      `${'/a'.repeat(10000)}.`,
      'ab.'.repeat(6667),
      `returns${' '.repeat(20000)}502`,
      '1) '.repeat(6667),
      '- x\n'.repeat(5000),
      'webhoo'.repeat(3334),
    ];
    for (const body of bodies) {
      const start = process.hrtime.bigint();
      scoreComplexity(body, []);
      expect(Number(process.hrtime.bigint() - start) / 1e6).toBeLessThan(100);
    }
  });
});

describe('announced separate problems (scorer-2026.11.26)', () => {
  const issues = (body: string) => scoreComplexity(body, []).features.issues;
  test.each([
    'Hi, a few separate issues: 1) my invoice never arrived 2) I have two accounts now 3) the app logs me out. Thanks.',
    'Three separate things, sorry: 1) the glass top arrived cracked. 2) we were charged VAT as a charity. 3) our points are gone.',
    'Guten Tag, ich habe gleich mehrere Anliegen: 1) meine Befunde vom Mai fehlen in der App 2) die Rechnung für das MRT ging an die falsche Versicherung 3) seit meiner Heirat steht mein alter Name auf allen Dokumenten.',
    'Bonjour, plusieurs problèmes : 1) la facture est fausse 2) le compte est bloqué 3) la livraison est en retard.',
    'Hola, tengo varios problemas: 1) la factura está mal 2) no puedo entrar 3) el pedido no llega.',
    'Olá, tenho vários problemas: 1) a fatura está errada 2) não consigo entrar 3) a encomenda não chegou.',
  ])('a message that says it holds several problems and lists them reaches the handoff threshold: %s', (body) => {
    expect(issues(body)).toBe(0.4);
    expect(complexity(body)).toBeGreaterThanOrEqual(0.7);
  });
  test.each([
    'Hi! A few questions about the gift list: 1) can guests see prices? 2) can I add items later? 3) is delivery free?',
    'I had a few problems with the app last year but it works now. How do I change my address?',
    'Are there two different sizes of this lamp?',
  ])('questions about one exchange, or problems in passing, stay with the AI: %s', (body) => {
    expect(complexity(body)).toBeLessThan(0.7);
  });
});
