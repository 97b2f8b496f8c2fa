import { scoreTicket, SCORER_VERSION } from '.';
import { decideRoute } from '../routing/routing-policy';
import { flagModelOdds, MODEL_FLAGS, MODEL_THRESHOLDS } from './flag-models';
import { normalise } from './normalise';

const score = (body: string, subject?: string) => scoreTicket({ body, subject });
const flags = (body: string) => score(body).flags;
const route = (body: string) => decideRoute(score(body), { aiOptOut: false, tier: 'standard', recentTicketCount: 0 }).route;
/** The probe tables' two checks: each text raises the flag, and a routine look-alike raises nothing and stays with the AI. */
const expectFlagOnEach = (flag: string, texts: string[]) => {
  for (const text of texts) expect([text, flags(text)]).toEqual([text, expect.arrayContaining([flag])]);
};
const expectRoutine = (text: string) => {
  expect(flags(text)).toEqual([]);
  expect(route(text)).toBe('ai');
};

describe('sentiment', () => {
  it('is about zero or positive for a polite routine question', () => {
    expect(score('Hi, could you tell me when my order will arrive? Thanks').sentiment).toBeGreaterThanOrEqual(0);
  });
  it('is mildly negative for a mildly annoyed customer', () => {
    const s = score("I've been waiting two weeks for my package and it still hasn't arrived. This is frustrating.").sentiment;
    expect(s).toBeLessThanOrEqual(-0.3);
    expect(s).toBeGreaterThan(-0.7);
  });
  it('is at most -0.7 for a furious one', () => {
    expect(score("THIS IS UNACCEPTABLE!!! worst service ever, I'm done").sentiment).toBeLessThanOrEqual(-0.7);
  });
  it('keeps the contract example mildly negative, so it routes to the AI', () => {
    const s = score('Hi, I was charged twice this month for my subscription, please refund', 'Charged twice this month');
    expect(s.sentiment).toBeLessThan(0);
    expect(s.sentiment).toBeGreaterThan(-0.7);
    expect(decideRoute(s, { aiOptOut: false, tier: 'standard', recentTicketCount: 0 }).route).toBe('ai');
  });
  it('flips under negation', () => {
    expect(score('I am happy with it').sentiment).toBeGreaterThan(0);
    expect(score('I am not happy with it').sentiment).toBeLessThan(0);
    expect(score('No estoy contento con el pedido').sentiment).toBeLessThan(0);
    expect(score("Je ne suis pas content de la commande").sentiment).toBeLessThan(0);
  });
  it('grows with intensifiers, ALL CAPS and exclamation marks', () => {
    const plain = score('The delivery was bad').sentiment;
    expect(score('The delivery was extremely bad').sentiment).toBeLessThan(plain);
    expect(score('The delivery was BAD').sentiment).toBeLessThan(plain);
    expect(score('The delivery was bad!!!').sentiment).toBeLessThan(plain);
  });
  it('reads emoji', () => {
    expect(score('my order 😡').sentiment).toBeLessThan(0);
    expect(score('my order 😢').sentiment).toBeLessThan(0);
    expect(score('my order 🙂').sentiment).toBeGreaterThan(0);
    expect(score('my order 👍').sentiment).toBeGreaterThan(0);
  });
  it('weighs the clause after "but" more', () => {
    expect(score('The app is good but the delivery was terrible').sentiment).toBeLessThan(0);
    expect(score('The delivery was terrible but the app is good').sentiment).toBeGreaterThan(0);
  });
  it('scores es, fr, de and pt with their own words', () => {
    expect(score('Servicio pésimo, es una vergüenza').sentiment).toBeLessThan(-0.5);
    expect(score("C'est scandaleux, service lamentable").sentiment).toBeLessThan(-0.5);
    expect(score('Eine Frechheit, ich bin wütend').sentiment).toBeLessThan(-0.5);
    expect(score('Atendimento péssimo, uma vergonha').sentiment).toBeLessThan(-0.5);
    expect(score('Muchas gracias, excelente atención').sentiment).toBeGreaterThan(0.5);
  });
});

describe('human_requested', () => {
  it.each([
    'let me talk to a real person',
    'agent please',
    'representative',
    'stop sending me bots',
    'can I speak to someone',
    'I want a human',
    'quiero hablar con una persona',
    "je veux parler à quelqu'un",
    'ich möchte mit einem Menschen sprechen',
    'falar com um atendente',
    "Why can't I talk to a human?",
  ])('fires on %s', (text) => {
    expect(flags(text)).toContain('human_requested');
  });
  it.each([
    'no need for a human, thanks',
    'your human agent was great',
    "I don't need to talk to anyone",
    'the agent already helped me',
    "what's your customer service phone number?",
    'no quiero hablar con un agente, solo el enlace',
    "je ne veux pas parler à un conseiller",
    'ich möchte nicht mit einem Mitarbeiter sprechen',
  ])('does not fire on %s', (text) => {
    expect(flags(text)).not.toContain('human_requested');
  });
});

describe('flags', () => {
  it.each([
    ['complaint', ['I want to file a complaint', 'Quiero poner una reclamación', 'Je veux faire une réclamation', 'Ich möchte mich beschweren', 'Quero fazer uma reclamação']],
    ['legal_threat', ['My lawyer will contact you', 'Hablaré con mi abogado', 'Mon avocat va vous contacter', 'Ich schalte meinen Anwalt ein', 'Vou falar com meu advogado']],
    ['churn_risk', ['I will cancel my subscription', 'Voy a cancelar mi suscripción', 'Je vais résilier', 'Ich werde kündigen', 'Vou cancelar minha assinatura']],
    ['billing_dispute', ['I was charged twice', 'Me cobraron dos veces', "J'ai été débité deux fois", 'Doppelt abgebucht', 'Fui cobrado duas vezes']],
    ['fraud_or_security', ['My account was hacked', 'Me hackearon la cuenta', 'Mon compte a été piraté', 'Mein Konto wurde gehackt', 'Minha conta foi hackeada']],
    ['safety', ['I want to kill myself', 'Quiero quitarme la vida', 'Je veux me suicider', 'Ich will nicht mehr leben', 'Quero me matar']],
    ['bereavement_or_health', ['My mother passed away', 'Mi padre falleció', 'Mon père est décédé', 'Mein Vater ist verstorben', 'Meu pai faleceu']],
    ['privacy_request', ['Delete my data under GDPR', 'Borrar mis datos personales', 'Supprimer mes données', 'Meine Daten löschen', 'Apagar os meus dados']],
  ])('%s in five languages', (flag, texts) => {
    for (const text of texts as string[]) expect([text, flags(text)]).toEqual([text, expect.arrayContaining([flag])]);
  });
  it('does not read a dead phone battery as bereavement', () => {
    expect(flags('My phone died while I was paying')).not.toContain('bereavement_or_health');
  });
  it('keeps safety whatever negation surrounds it', () => {
    expect(flags("I don't want to live anymore")).toContain('safety');
  });
  it('keeps sensitive flags raised by earlier messages of the thread', () => {
    const s = scoreTicket({ body: 'ok thanks', history: [{ author: 'customer', body: 'Someone hacked my account' }, { author: 'ai', body: '...' }] });
    expect(s.flags).toContain('fraud_or_security');
  });
  it('reports the lexicon entry as evidence, never the customer text', () => {
    const s = score('Please, my account was hacked yesterday');
    expect(s.evidence).toEqual([{ flag: 'fraud_or_security', match: expect.stringMatching(/^fraud_or_security\/en\/\d+$/) }]);
  });
});

describe('indirect and implicit signals (scorer-2026.11.3)', () => {
  it.each([
    ['human_requested', ['Is there anybody real on the other end of this chat?', 'Could you ring me back this afternoon, please?', 'Please escalate this.', 'I have had enough of chatting with a robot', '¿Me podría llamar un asesor mañana?', 'Me pueden pasar con un operador?', "Y a quelqu'un de vrai derrière l'écran ?", 'Passez-moi votre supérieur.', 'Könnten Sie mich mit jemandem aus der Buchhaltung verbinden?', 'Ich bitte um Rückruf, danke.', 'Tem alguém de verdade aí para falar?', 'Could someone from your team look into this?', 'I would like to discuss my situation with a manager.', 'Que alguien revise mi caso, por favor.', "Je souhaite qu'un conseiller me rappelle.", 'Kann mich jemand anrufen?', 'Alguém pode me ligar amanhã?', 'u are not helping me', 'I want to know if there is any human agent available']],
    ['complaint', ['Nobody picks up the phone.', 'That is the third time this has happened.', 'Second broken delivery in a row.', 'We expect a written apology.', 'I would like to voice my dissatisfaction with the repair.', 'Oh brilliant, another delay.', 'Still no reply, still no refund.', 'Six weeks and still nothing.', 'Es la tercera vez que escribo.', 'Llevo dos semanas esperando una respuesta.', "C'est la troisième fois que j'écris.", 'Bravo, vraiment, quel service.', 'Das ist jetzt zum dritten Mal passiert.', 'Ich bin maßlos enttäuscht.', 'Já é a terceira vez que reclamo disso.', 'Really poor customer service from start to finish.', 'Your driver was extremely rude to my mother.', 'How is this acceptable?', 'Muy mal servicio, la verdad.', 'Je suis très mécontente.', 'Wir sind mit dem Ergebnis unzufrieden.', 'Estou insatisfeito com o atendimento.']],
    ['safety', ['The toaster melted and there was smoke everywhere.', 'There is a strong smell of gas near the meter you installed.', 'My dad fell over when the step broke and needed stitches.', "Hay olor a gas desde que vino el técnico.", "Il y a une odeur de brûlé qui sort du chargeur.", 'Das Netzteil ist geschmolzen.', 'Sai fumaça do aparelho.']],
    ['fraud_or_security', ['A man phoned claiming to be from your bank team.', 'Got an email asking me to verify my card details, was that you?', 'Someone opened an account using my email address.', 'Is your customer data breach affecting me?', 'Hice clic en un enlace para verificar la cuenta.', "Quelqu'un a ouvert un compte avec mon adresse.", 'Recebi um link para confirmar meus dados, foi de vocês?', 'Me robaron la tarjeta ayer.', 'Meu cartão foi clonado.']],
    ['bereavement_or_health', ['My husband is no longer with us.', 'Mi madre murió la semana pasada.', 'Minha mãe faleceu em março.']],
    ['legal_threat', ['Fix this or I am filing a chargeback.', 'I will ask my bank to reverse the payment.', 'Si no me lo devolvéis os denuncio.', 'Je vais demander à ma banque de contester le prélèvement.']],
    ['privacy_request', ['Tell me the data you hold about me.', 'Dejad de usar mis datos para publicidad.', "Cessez d'utiliser mes données.", 'Parem de usar os meus dados.']],
  ])('%s from indirect wording', (flag, texts) => {
    for (const text of texts as string[]) expect([text, flags(text)]).toEqual([text, expect.arrayContaining([flag])]);
  });
  it.each([
    'If nobody answers the door, leave it with my neighbour.',
    'What time does the shop open on Saturday?',
    'Can I pay for the second item in a separate order?',
    'My phone gets a bit warm when charging, is that normal?',
    "How do I update my card details?",
    'La página se cayó un momento, ya funciona.',
    'O sistema caiu ontem, já voltou?',
    'Great, thanks, that worked!',
    'what information do you have about getting an invoice?',
  ])('raises nothing sensitive on the routine %s', (text) => {
    expect(route(text)).toBe('ai');
  });
  it.each(['can i tlak to a real persn pls', 'i want to pseak with a human gaent', 'could I speak with sopmeone?', 'quiero habalr con una persona'])('reads a request for a person with a typo: %s', (text) => {
    const s = score(text);
    expect(s.flags).toContain('human_requested');
    expect(s.evidence[0].match).toMatch(/~spelling$/);
  });
  it('corrects only chat-length messages, and only into a request', () => {
    expect(flags('Is the wardrobe tall enough for a person of 190 cm?')).not.toContain('human_requested');
    expect(flags(`${'My order arrived and everything is fine. '.repeat(8)}can i tlak to a real persn`)).not.toContain('human_requested');
  });
  it('reads Polish as Polish, not as English from its "i", "to" and "was"', () => {
    expect(score('Czy moje zamówienie zostało wysłane? Zapłaciłam wczoraj i nie mam jeszcze maila od was.').language).toBe('pl');
  });
});

describe('everyday wordings the lexicon missed, found by probes (scorer-2026.11.11 to 11.20)', () => {
  it.each([
    ['bereavement_or_health', ['We buried my grandad on Friday, please cancel his magazine subscription.', 'We laid her to rest last week and I need to close her account.', 'My nan died in October, the parcel was for her.', 'I lost my granny in the spring and still get her statements.', 'Please take my late gran off your mailing list.']],
    ['bereavement_or_health', ['Enterramos a mi abuelo el viernes.', 'Nous avons enterré ma grand-mère samedi.', 'Wir haben meinen Opa am Freitag beerdigt.', 'Enterramos a minha avó no sábado.']],
    ['privacy_request', ['I want all my data deleted.', 'Please make sure my records are erased after the refund.', 'Delete everything you hold on me.', 'Ich möchte, dass meine Daten gelöscht werden.', 'Quero que os meus dados sejam apagados.', 'Je veux que mes données soient supprimées.']],
    ['privacy_request', ['Quiero saber qué datos míos tenéis.', 'Je voudrais savoir quelles informations vous avez sur moi.', 'Welche Informationen haben Sie über mich gespeichert?', 'Quais informações vocês têm sobre mim?']],
    ['legal_threat', ["I'll be contacting trading standards.", "We're going to the ombudsman with this.", 'I will contact the FCA about this.', 'Je vais saisir le médiateur.']],
    ['legal_threat', ["I'll be raising a dispute with my credit card company.", 'Voy a abrir una disputa con mi banco.', 'Je vais ouvrir un litige avec ma banque.', 'Ich werde die Zahlung bei meiner Bank zurückbuchen lassen.', 'Vou abrir uma disputa com o meu banco.']],
    ['safety', ["The kettle's base sparked and tripped the fuse.", 'The heater keeps tripping the breaker.', 'The ladder collapsed under my husband.', 'O carregador soltou faíscas.']],
    ['safety', ['The technician left exposed wires in my kitchen.', 'El técnico dejó cables pelados en la cocina.', 'Le technicien a laissé des fils dénudés.', 'Der Techniker hat offene Kabel hinterlassen.', 'O técnico deixou fios expostos.']],
    ['safety', ["I'm being harassed by one of your staff.", "I don't feel safe with the engineer you sent.", 'I felt intimidated by your driver.', 'Uno de sus empleados me está acosando.', 'Je suis harcelée par un de vos livreurs.', 'Ich werde von einem Ihrer Mitarbeiter belästigt.', 'Estou sendo assediada por um funcionário de vocês.']],
    ['safety', ['Tuve una reacción alérgica con vuestra crema.', "J'ai fait une réaction allergique à votre crème.", 'Ich hatte eine allergische Reaktion auf Ihre Creme.', 'Tive uma reação alérgica ao creme de vocês.']],
    ['safety', ['The battery swelled up and the phone case split.', 'La batterie a gonflé.', 'Der Akku ist aufgebläht.', 'A bateria inchou.']],
    ['safety', ['The car seat buckle snapped during a journey.', "My brakes don't work after the service you did.", 'Los frenos dejaron de funcionar en plena bajada.', 'Die Bremsen haben versagt.', 'Os freios falharam na descida.']],
    ['human_requested', ['This bot is useless.', 'Your chatbot is not helping at all.', 'Este bot no sirve para nada.', 'Ce robot ne sert à rien.', 'Dieser Bot ist nutzlos.', 'Esse robô não serve pra nada.']],
    ['human_requested', ['Can you have someone from the technical team look at it?', "Quelqu'un de l'équipe technique peut-il regarder ?"]],
    ['complaint', ["I've been passed from pillar to post for a month.", 'Me están mareando de un departamento a otro.', "On me renvoie d'un service à l'autre depuis un mois.", 'Ich werde seit Wochen von einer Abteilung zur nächsten geschickt.', 'Estou sendo empurrado de um setor para outro.']],
    ['complaint', ['Nobody has been able to help me so far.', 'Nadie me ha podido ayudar.', "Personne n'a été capable de m'aider.", 'Niemand konnte mir bisher helfen.', 'Ninguém conseguiu me ajudar até agora.']],
    ['complaint', ['You people are incompetent.', 'Vous êtes des incompétents.', 'Ihr seid völlig inkompetent.', 'Vocês são uns incompetentes.']],
    ['complaint', ["I've had it up to here with your company.", "I'm going to leave a one-star review everywhere.", "I'll be leaving a bad review.", "I'm not happy at all."]],
    ['safety', ['My son cut himself on the packaging.']],
    ['privacy_request', ['Forget me, remove me from everything.']],
  ])('%s', expectFlagOnEach);
  // The look-alikes each entry was narrowed against while it was written.
  it.each([
    'My gran loves the tablet, can I buy a second charger?',
    'I lost my grandson’s phone charger, where can I get another one?',
    'Is the nan bread gluten free?',
    'The dog buried my slipper in the garden, do you sell the same pair?',
    'Can I contact the ombudsman if I am not happy with a decision?',
    'This sparked a lot of questions in our team, can you share the price list?',
    'Is the charger protected against short circuits?',
    'Why were my details deleted when I updated the app?',
    'The shelf broke under the weight of the books, can I order a stronger one?',
    'Meine Daten wurden gelöscht, warum?',
    'Wie lange werden meine Daten gespeichert?',
    'Do you sell live wire detectors?',
    'Do the cables come with bare ends?',
    '¿Tenéis cables pelados de repuesto?',
    "I don't feel safe leaving parcels on the doorstep, can you deliver to a locker?",
    "I'm afraid of the price increase next month, can I lock in my rate?",
    "I'm scared of the new update breaking my phone, can I skip it?",
    'Me están acosando con llamadas comerciales, ¿cómo lo paro?',
    'Ich fühle mich durch Ihre Werbemails belästigt, wie melde ich mich ab?',
    'Estou sendo assediado com ligações de telemarketing, como paro?',
    'Is the bot available at night?',
    'Your chatbot was really helpful, thanks!',
    'Der Bot ist super, danke!',
    'Can you send someone to check the meter?',
    'The buckle on my handbag snapped.',
    'Is your support team available on Sundays?',
    'How do I adjust the brakes on the bike?',
    '¿Cómo ajusto los frenos de la bici?',
    'Wie stelle ich die Bremsen ein?',
    'Der Akku hält nicht lange.',
    '¿Nadie me puede ayudar con mi pedido?',
    'Ninguém pode me ajudar com o meu pedido de hoje?',
    '¿Qué datos necesitan para el envío?',
    '¿Qué información tiene el pedido?',
    'Welche Daten brauchen Sie von mir?',
    'Quelles informations avez-vous besoin pour la livraison ?',
    'Quais dados vocês precisam para o cadastro?',
    'Can I leave a review on Trustpilot?',
    'Remove me from your mailing list please.',
    'How do I stop my toddler hurting himself on the table corners? Do you sell guards?',
    'Is the 5-star rating on the product page real?',
  ])('raises nothing on the routine %s', expectRoutine);
  it('reads spam called harassment in French as no danger', () => {
    expect(flags('Je suis harcelée par vos mails publicitaires, comment me désabonner ?')).not.toContain('safety');
  });
});

describe('understated complaints, collapses, accidents, disability and requests by role (scorer-2026.11.21)', () => {
  it.each([
    ['complaint', ['Your service leaves a lot to be desired.', 'Waited an hour on hold. Love that for me.', 'Really loved paying twice for the same order.', 'I would not recommend you to anyone.', 'Honestly, I expected better from you.', 'Your support just went in circles.', 'I was always happy with you until the new app came out.', 'Your reply did not actually answer my question.', "I don't usually complain, but this is the third broken lamp.", "I'm pretty gutted, the gift didn't arrive.", "Guess I'll just keep waiting then.", 'This is my fourth email about the same order.']],
    ['complaint', ['Je commence à me lasser de vos retards.', 'Le service laisse vraiment à désirer.', 'Merci pour rien.', "Franchement c'est pénible.", 'Je ne vous recommanderai pas.', "Je ne voulais pas me plaindre, mais c'est la troisième fois."]],
    ['complaint', ['Der Service lässt sehr zu wünschen übrig.', 'Danke für nichts.', 'Na toll, wieder kaputt.', "Ich geb's langsam auf.", 'Ich will ja nicht meckern, aber die Lieferung war zu spät.', 'Ich hätte mir mehr erwartet.', 'Ich werde euch nicht weiterempfehlen.']],
    ['complaint', ['El servicio deja mucho que desear.', 'Gracias por nada.', 'No lo recomiendo.', 'No quiero quejarme, pero llevo tres semanas esperando.', 'Ya me estoy cansando de esperar.']],
    ['complaint', ['O atendimento deixou muito a desejar.', 'Obrigado por nada.', 'Não recomendo.', 'Não quero reclamar, mas o pedido veio errado.', 'Já estou farto disto.', 'Adorei esperar 20 dias pela encomenda.']],
    ['human_requested', ['Can I speak to whoever runs the warehouse?', 'Please pass this on to whoever handles refunds.', 'I want someone more senior to look at this.', "I'd rather explain this over the phone.", 'Who do I speak to about a late delivery?', 'Is there actually anyone there?', "I'd like to run this past a real person."]],
    ['human_requested', ['Gibt es jemanden, mit dem ich telefonisch sprechen kann?', 'Mit wem kann ich über meine Rechnung sprechen?', 'À qui puis-je parler de ma facture ?', '¿Con quién puedo hablar de mi factura?', 'Com quem posso falar sobre a minha fatura?']],
    ['safety', ['My mother collapsed in your store.', 'A man fainted in the queue.', 'My son passed out after using the product.', 'We were in an accident with the rental car.', 'My passenger hit her head on the window.', 'My neck is really sore since the crash.', 'My carbon monoxide alarm keeps going off.']],
    ['safety', ['Une cliente a fait un malaise en caisse.', 'Il a perdu connaissance dans la salle.', 'On a eu un accident avec la voiture de location.', 'Les freins ne répondent plus.', 'Le détecteur de monoxyde sonne depuis une heure.']],
    ['safety', ['Ein Mitglied ist in der Sauna zusammengebrochen.', 'Wir mussten den Krankenwagen rufen.', 'Wir hatten einen kleinen Unfall mit dem Mietwagen.', 'Der CO-Melder schlägt Alarm.']],
    ['safety', ['Mi padre se desmayó en la tienda.', 'Tuvimos un accidente con el coche.', 'Los frenos no funcionan.', 'El detector de monóxido suena sin parar.', 'A minha mãe desmaiou na loja.', 'Tivemos um acidente com o carro alugado.', 'Os travões falharam na autoestrada.']],
    ['safety', ['i dont see the point in anything anymore', 'i cant go on like this much longer']],
    ['fraud_or_security', ['I got a password reset code that I never requested.', 'Got a verification code but I didn’t ask for one.', 'I never asked for a password reset.', 'Ich habe mein Handy im Zug liegen lassen.']],
    ['bereavement_or_health', ["I'm a wheelchair user and the lift was broken.", 'I use a wheelchair, is there step-free access at the depot?', "I'm registered blind and can't read the new bill layout.", 'Je suis en fauteuil roulant.', 'Voy en silla de ruedas.', 'Ich sitze im Rollstuhl.', 'Sou cadeirante.']],
  ])('%s', expectFlagOnEach);
  // The look-alikes each entry was narrowed against while it was written, and the false alarms it removed.
  it.each([
    'Is the pram suitable for a wheelchair-accessible taxi?',
    'Is the venue wheelchair accessible?',
    'Can I pay over the phone?',
    'How do I test my carbon monoxide detector?',
    'Comment tester mon détecteur de monoxyde ?',
    '¿Cómo pruebo el detector de monóxido?',
    'Der Rauchmelder piept, ist das die Batterie?',
    'Does the insurance cover accidents abroad?',
    'Does my policy cover me if I am involved in a crash?',
    'The app keeps crashing, is there an update?',
    'I love that colour, do you have it in blue?',
    'Would you recommend the large or the small size?',
    'I would recommend you to my friends!',
    'Can you recommend a good charger?',
    "J'ai explosé mon record ce matin, au fait comment annuler un cours ?",
    'An explosion of paperwork! Which form do I need?',
    'Mon écran est mort, je dois changer les piles ?',
    'Mon fils est mort de rire avec ce jouet !',
    "J'ai failli faire une crise cardiaque en voyant la promo, elle dure jusqu'à quand ?",
    'Este cochecito es una bomba, ¿viene con saco?',
    'A bomba de calor faz muito barulho?',
    'Been hacking away at the rowing machine, does it count?',
    'Who is the manufacturer of this kettle?',
    'Is a real person checking the reviews?',
    "I've been happy with you for years, can I add a second line?",
    'This is my second order, do I get the loyalty discount?',
    'Les freins à disque sont-ils inclus ?',
    'Danke für die schnelle Antwort!',
    'Gracias por todo, muy amables.',
    'Does the code I got by email expire?',
    'I did not request the paper bill, can you switch me to email?',
  ])('raises nothing on the routine %s', expectRoutine);
});

describe('erasure of uploads, bare escalation, serious illness and ashes, "what am I even paying for" (scorer-2026.11.25)', () => {
  it.each([
    ['privacy_request', ['Please delete my account and all my health records.', 'Please delete all the documents I uploaded and confirm in writing.', "I'd like a copy of everything you hold on me.", 'Bitte löschen Sie meine Daten aus Ihrer Liste.', 'Quero saber que dados meus vocês guardam.']],
    ['human_requested', ['Please escalate. Thanks.', 'pls escalate asap']],
    ['bereavement_or_health', ["The parcel had my husband's ashes in it.", 'I have MS and my hands have got worse.', 'My father has dementia and keeps ordering things.', 'Ma femme est atteinte de la maladie de Parkinson.', 'Mi madre tiene alzhéimer.', 'Mein Vater hat Demenz.', 'Minha mãe tem Alzheimer.', "I'm on bed rest with a high-risk pregnancy.", 'Estou grávida, gravidez de risco e em repouso absoluto.', 'Je suis enceinte, grossesse à risque.', 'Ich sitze seit einem Unfall im Rollstuhl.']],
    ['complaint', ['What am I even paying for?', 'Langsam frage ich mich, wofür ich eigentlich bezahle.', 'Toll. Wieder kein Handwerker gekommen.', "The call-out fee doesn't seem right to me.", 'Não acho justo pagar por isso.', 'No me parece justo.', "Ce n'est pas juste.", 'Das finde ich nicht fair.']],
  ])('%s', expectFlagOnEach);
  it.each([
    'Does the policy cover cremation costs?',
    'Do you sell urns?',
    'Can you delete the files I uploaded yesterday? They were the wrong ones.',
    'How do I delete a photo I uploaded?',
    'What am I paying for on this invoice line?',
    'Wofür zahle ich eigentlich die Servicegebühr?',
    '¿Para qué pago la cuota de mantenimiento?',
    'Does the ticket escalate automatically after a day?',
    'Is the app suitable for people with dementia?',
    'Do you deliver to the Parkinson Street depot?',
    'Toll, danke für die schnelle Hilfe!',
    'Is it fair to ask for a refund after 30 days?',
    'Is the bed rest pillow in stock?',
    'Does the stove leave ashes in the tray?',
  ])('raises nothing on the routine %s', expectRoutine);
});

describe('crisis, injury and loss in everyday words (scorer-2026.11.4)', () => {
  it.each([
    ['safety', ["Honestly I don't see the point of anything anymore.", 'Everyone would be better off without me.', "I can't go on anymore.", "J'ai peur de faire une bêtise ce soir.", 'Ya no le veo sentido a nada.', 'Ich sehe keinen Sinn mehr im Leben.', 'Às vezes acho que eles ficariam melhor sem mim.']],
    ['safety', ['The step ladder gave way and I hurt my back.', 'My son cut his hand on the edge of the shelf.', 'The heater started smoking last night.', 'Me resbalé en la entrada y me lastimé la rodilla.', 'Je suis tombée dans l’escalier du magasin.', 'Ich habe mir das Knie verletzt, als der Stuhl brach.', 'Escorreguei na escada da loja e machuquei o joelho.']],
    ['safety', ['Ein anderer Kunde hat mir gedroht, mich draußen abzufangen.']],
    ['bereavement_or_health', ['We lost our baby in March, please stop the emails about the pram.', 'Wir hatten eine Fehlgeburt.', 'Perdimos a nuestro bebé.']],
  ])('%s from everyday wording', (flag, texts) => {
    for (const text of texts as string[]) expect([text, flags(text)]).toEqual([text, expect.arrayContaining([flag])]);
  });
  it.each([
    "I don't see the point in going on with this subscription.",
    'Will this chair help if you hurt your back often?',
    "J'ai fait une bêtise, j'ai supprimé mon compte. Comment le récupérer ?",
    'Fiz uma besteira e apaguei meu pedido, dá para recuperar?',
    'O braço da cadeira quebrou, como troco?',
    'We lost the baby monitor charger, where can I buy one?',
    "I lost my son's tablet charger, can I buy a new one?",
    'Sie haben mir mit Inkasso gedroht.',
  ])('raises no safety or loss flag on %s', (text) => {
    expect(flags(text)).not.toEqual(expect.arrayContaining(['safety']));
    expect(flags(text)).not.toEqual(expect.arrayContaining(['bereavement_or_health']));
  });
});

describe('payments not recognised, lost and stolen cards and phones (scorer-2026.11.5)', () => {
  it('raises fraud_or_security in all five served languages', () => {
    const texts = [
      'There is a payment on my statement I never made.', 'I see a withdrawal of 200 that I did not make.', "I don't recognise this direct debit.",
      'Someone has been using my card without my permission.', 'I lost my wallet on the train yesterday, my debit card was in it.', 'My phone got stolen at the station, what should I do about the app?',
      'He perdido mi tarjeta y no sé qué hacer.', 'Hay un cargo en mi cuenta que no hice.', "On m'a volé mon portefeuille avec ma carte dedans.", "Il y a un prélèvement que je n'ai pas fait sur mon compte.",
      'Ich habe meine Karte verloren.', 'Da ist eine Abbuchung, die ich nicht gemacht habe.', 'Roubaram meu celular, o que faço?', 'Tem um saque na minha conta que eu não fiz.',
    ];
    for (const text of texts) expect([text, flags(text)]).toEqual([text, expect.arrayContaining(['fraud_or_security'])]);
  });
  it('leaves routine look-alikes to the AI: a found card, a new card lost in the post, an ATM that kept it', () => {
    const texts = [
      'I found my card that I lost, how do I reactivate it?', 'My new card has not arrived yet, was it lost in the post?', 'The ATM kept my card, how do I get it back?',
      'The payment I made yesterday is not showing, I did not get a confirmation.', 'Mi tarjeta nueva se ha perdido en el correo?', 'Meine neue Karte ist noch nicht angekommen.',
    ];
    for (const text of texts) expect([text, flags(text), route(text)]).toEqual([text, expect.not.arrayContaining(['fraud_or_security']), 'ai']);
  });
});

describe('routine questions that share words with fraud, safety and loss reports (scorer-2026.11.7)', () => {
  // Written by a reviewer against the entries of scorer-2026.11.4 and 11.5, which sent them to a person as urgent.
  it.each([
    'I did not make the payment on time, will I be charged a late fee?',
    "I haven't made any transfers yet, why is there a monthly fee?",
    'I never made a purchase with this card before, is it activated?',
    'Can someone else make a payment to my account, like my mum?',
    'Somebody made a payment to me last week but it has not arrived.',
    'Other people are using my referral code, do I get the bonus?',
    'Can I use the app without any permission to read my contacts?',
    'The payment page looks weird on my phone, the button is cut off.',
    "I don't understand what this exchange rate charge is, why was I charged more?",
    'I want to know how the payment got into my account.',
    'How do I freeze my card while I am on holiday?',
    'I lost my phone charger, do you sell them?',
    'I no longer have my old card, can the refund go to my new one?',
    'I want to know where my phone is listed in the account settings.',
    'Se me cayó el móvil y la pantalla está rota, ¿cómo entro en la app?',
    'La app del móvil ha perdido mi configuración.',
    "Au magasin, on m'a pris ma commande mais je n'ai pas reçu de ticket.",
    'Comment bloquer ma carte temporairement quand je suis en vacances ?',
    'Wie kann ich meine Karte vorübergehend sperren, wenn ich im Urlaub bin?',
    'Como bloquear o meu cartão temporariamente nas férias?',
    'My husband started smoking again, do you sell nicotine patches?',
    'Tropecé con un error al pagar, ¿me ayudan?',
    'Ich bin über einen Fehler gestolpert und die App stürzt ab.',
    'Tropecei em um problema no checkout, podem ajudar?',
    '¿Si corto el cuello de la camiseta puedo devolverla?',
    'Quebrei o braço da cadeira na montagem, vocês vendem peças?',
    'Rompí el brazo de la silla al montarla, ¿venden repuestos?',
    "J'ai peur de faire une bêtise en modifiant mon adresse, pouvez-vous m'aider ?",
    'Tenho medo de fazer besteira na configuração do app.',
    "I can't go on anymore with this app, it keeps crashing, how do I fix it?",
    'Perdi o bebê conforto no aeroporto, vocês vendem outro?',
  ])('leaves %s to the AI', (text) => {
    expect(route(text)).toBe('ai');
  });
});

describe('complaints in everyday words: the complaint model (scorer-2026.11.8)', () => {
  const modelRead = (text: string) => score(text).evidence.some((e) => e.flag === 'complaint' && e.match === 'complaint/model');
  it.each([
    'I was promised a callback on Monday. It is now Thursday.',
    'The engineer came, looked at the boiler for five minutes and left. We still have no hot water.',
    'This is the second time the parcel has been left outside in the rain.',
    'Me cambiaron la tarifa sin avisar y nadie me explica por qué.',
    "Le technicien n'est jamais venu et personne ne m'a prévenu.",
    'Ich habe die Ware vor einem Monat zurückgeschickt und warte immer noch auf mein Geld.',
    'Fiquei duas horas esperando o técnico e ninguém apareceu.',
  ])('sends %s to a person as a complaint, read by the model', (text) => {
    expect([modelRead(text), flags(text), route(text)]).toEqual([true, expect.arrayContaining(['complaint']), 'human']);
  });
  it.each([
    'Can I change the delivery address of my order?',
    'I was told on the phone that I can pay in instalments, could you confirm?',
    'Your technician did a great job, can I book him again for next month?',
    'Nobody will be home on Tuesday, can you deliver on Wednesday instead?',
    'Dear Sir or Madam, I am writing regarding my account. Could you please send me a copy of my last invoice? Yours faithfully, John Smith',
    'Madame, Monsieur, je vous écris au sujet de ma commande 4411. Pourriez-vous me confirmer la date de livraison ? Veuillez agréer mes salutations distinguées.',
    'Sehr geehrte Damen und Herren, bitte senden Sie mir eine Kopie meiner Rechnung. Mit freundlichen Grüßen',
    'Bonjour, on m\'a dit que je pouvais payer en trois fois, comment faire ?',
    '¿Cuánto tarda en llegar un pedido a Canarias?',
    'Qual é o prazo de entrega para o Porto?',
  ])('leaves %s to the AI', (text) => {
    expect([modelRead(text), route(text)]).toEqual([false, 'ai']);
  });
  it('reads only the languages it was trained on: an Italian complaint goes to a person for its language, not as a complaint', () => {
    const text = 'Il tecnico non è mai venuto e nessuno mi ha avvisato.';
    expect([modelRead(text), score(text).language, route(text)]).toEqual([false, 'it', 'human']);
  });
  it('adds nothing where a lexicon entry already found the complaint', () => {
    const evidence = score("This is unacceptable, I've been waiting three weeks.").evidence.filter((e) => e.flag === 'complaint');
    expect(evidence.map((e) => e.match)).toEqual(['complaint/en/2']);
  });
});

describe('fraud reports and requests for a person in plain words (scorer-2026.11.8)', () => {
  it.each(['Have I been hacked? I got a login alert from another country.', "I think I've been scammed by someone using your name.", 'Creo que me han timado con una llamada.', 'Ein angeblicher Mitarbeiter hat mich angerufen.'])(
    'raises fraud_or_security for %s',
    (text) => expect(flags(text)).toContain('fraud_or_security'),
  );
  it('reads "est-ce qu\'un conseiller pourrait…" as a request for a person', () => {
    expect(flags("Est-ce qu'un conseiller pourrait m'appeler demain ?")).toContain('human_requested');
  });
});

describe('requests for a person, safety and fraud in everyday words: the flag models (scorer-2026.11.9)', () => {
  const modelRead = (text: string, flag: string) => score(text).evidence.some((e) => e.flag === flag && e.match === `${flag}/model`);
  it.each([
    ['Could somebody from your side give me a ring tomorrow? I would rather go through the contract on the phone.', 'human_requested'],
    ['Is anybody actually reading these messages? I keep getting the same automatic reply.', 'human_requested'],
    ['¿Podría alguien de la oficina revisar el contrato conmigo por teléfono?', 'human_requested'],
    ["J'aimerais en discuter de vive voix avec quelqu'un de chez vous.", 'human_requested'],
    ['Kann mich bitte jemand aus Ihrem Team zurückrufen? Das möchte ich lieber am Telefon klären.', 'human_requested'],
    ['Gostaria que alguém da loja me telefonasse ainda hoje.', 'human_requested'],
    ['The charger got so hot the plastic went soft and there is a brown mark on the desk.', 'safety'],
    ['After eating the meal kit my son came out in hives and his lips swelled up.', 'safety'],
    ['There is a login on my account from a phone I have never owned and my address was changed.', 'fraud_or_security'],
  ])('reads %s as %s where no entry matched, and sends it to a person', (text, flag) => {
    expect([modelRead(text, flag), flags(text), route(text)]).toEqual([true, expect.arrayContaining([flag]), 'human']);
  });
  it.each([
    'Thanks, the lady on the phone sorted it all out yesterday.',
    'What are the opening hours of your phone line on Saturdays?',
    'How do I add a colleague to our workspace so she can answer tickets too?',
    'Is it OK to leave the heater on overnight? Does it switch itself off?',
    'How do I turn on two-factor authentication?',
    "No need for anyone to call me, an email with the invoice is fine.",
    'No hace falta que me llamen, con un correo me basta.',
    'Pas besoin de me rappeler, un e-mail suffit.',
  ])('leaves %s to the AI', (text) => {
    expect(route(text)).toBe('ai');
  });
  const requestOdds = (text: string) => flagModelOdds(normalise(text))[MODEL_FLAGS.indexOf('human_requested')];
  // Each of these reads as a request to the model on its own (log2 odds above its threshold).
  const NEGATED_REQUESTS = ['no quiero hablar con un agente, solo el enlace', 'ich möchte nicht mit einem Mitarbeiter sprechen'];
  it('does not overrule a request the customer negated: an entry that matched only negated keeps the model quiet', () => {
    for (const text of NEGATED_REQUESTS) {
      expect([text, requestOdds(text) > MODEL_THRESHOLDS.human_requested]).toEqual([text, true]);
      expect([text, modelRead(text, 'human_requested'), flags(text), route(text)]).toEqual([text, false, [], 'ai']);
    }
  });
  it('does not overrule it when the entry matched only after a typo was corrected either', () => {
    for (const text of ['no quiero hablar con un agnete, solo el enlace', 'je ne veux pas parler à un conseiler', 'ich möchte nicht mit einem Mitarbieter sprechen']) {
      expect([text, requestOdds(text) > MODEL_THRESHOLDS.human_requested]).toEqual([text, true]);
      expect([text, flags(text), route(text)]).toEqual([text, [], 'ai']);
    }
  });
  it('still reads a request in another sentence of a message that declined one', () => {
    const text = "I don't need to talk to a person about the invoice. Could somebody from your side give me a ring tomorrow about the contract?";
    expect([modelRead(text, 'human_requested'), route(text)]).toEqual([true, 'human']);
  });
  it('lets the complaint model read a complaint whatever negation cue the complaint entries saw ("schon" is one)', () => {
    const text = 'Ich warte schon seit drei Wochen auf meine Erstattung, das ist jetzt schon das dritte Mal.';
    expect([modelRead(text, 'complaint'), route(text)]).toEqual([true, 'human']);
  });
  it('keeps a sensitive flag a model raised on an earlier message of the thread', () => {
    const earlier = 'After eating the meal kit my son came out in hives and his lips swelled up.';
    const followUp = scoreTicket({ body: 'ok thanks', history: [{ author: 'customer', body: earlier }, { author: 'ai', body: 'Sorry to hear that.' }] });
    expect([modelRead(earlier, 'safety'), followUp.flags, followUp.evidence]).toEqual([true, ['safety'], [{ flag: 'safety', match: 'safety/model' }]]);
  });
  it('reads only the languages it was trained on: an Italian request goes to a person for its language, not as a request', () => {
    const text = 'Vorrei parlare con una persona del vostro team, potete richiamarmi?';
    expect(requestOdds(text)).toBeGreaterThan(MODEL_THRESHOLDS.human_requested);
    expect([modelRead(text, 'human_requested'), score(text).language, route(text)]).toEqual([false, 'it', 'human']);
  });
});

describe('cash withdrawals (scorer-2026.11.6)', () => {
  it('reads a withdrawal as money taken out, not as a craving: a routine question about one stays with the AI', () => {
    for (const text of ['There is a withdrawal waiting.', 'How long will it take for my cash withdrawal to stop pending?']) {
      expect([text, route(text)]).toEqual([text, 'ai']);
    }
  });
  it('raises fraud_or_security when the customer did not make the withdrawal', () => {
    for (const text of ["I didn't withdraw the amount of cash that is showing up in the app.", 'A cash withdrawal was completed on my account; however, I did not complete it.', 'I never took out that money.', 'No hice ese retiro de efectivo.']) {
      expect([text, flags(text)]).toEqual([text, expect.arrayContaining(['fraud_or_security'])]);
    }
    expect(flags("I haven't withdrawn any money yet, can I still cancel?")).not.toContain('fraud_or_security');
  });
});

describe('dissatisfied', () => {
  const answered = [{ author: 'customer' as const, body: 'My app crashes' }, { author: 'ai' as const, body: 'Try reinstalling it.' }];
  it.each(["that didn't help", 'useless', 'still not working', 'no sirve', "ça ne m'aide pas", 'hilft nicht', 'não ajudou'])('is raised by %s after an answer', (body) => {
    expect(scoreTicket({ body, history: answered }).dissatisfied).toBe(true);
  });
  it('needs an earlier answer to be dissatisfied with', () => {
    expect(scoreTicket({ body: 'still not working' }).dissatisfied).toBe(false);
    expect(scoreTicket({ body: 'great, that fixed it, thanks', history: answered }).dissatisfied).toBe(false);
  });
});

describe('topics and complexity', () => {
  it('finds topics', () => {
    expect(score('Where is my parcel? The tracking has not moved').topics).toContain('shipping');
    expect(score('Hello there').topics).toEqual(['general']);
  });
  it('is low for a one-line question and high for a many-question technical message', () => {
    expect(score('Where is my order?').complexity).toBeLessThan(0.2);
    const long = [
      'Order #88123 arrived damaged and order #88301 was charged twice.',
      'The app crashes with error E-4012 on version 3.2.1 and HTTP 503 when I open invoices.',
      'Can you refund the duplicate? Can you replace the damaged item? Is there a fix for the crash? Why does my account show the old address?',
      'x'.repeat(1200),
    ].join('\n');
    const s = score(long);
    expect(s.complexity).toBeGreaterThanOrEqual(0.7);
    expect(s.complexityFeatures).toBeDefined();
  });
});

describe('language', () => {
  it.each([
    ['Where is my order? It should have arrived last week.', 'en'],
    ['Hola, ¿cuándo llegará mi pedido? Lo compré hace una semana.', 'es'],
    ["Bonjour, je n'ai toujours pas reçu ma commande de la semaine dernière.", 'fr'],
    ['Hallo, meine Bestellung ist immer noch nicht angekommen.', 'de'],
    ['Olá, a minha encomenda ainda não chegou, podem verificar?', 'pt'],
    ['Buongiorno, il mio ordine non è ancora arrivato, potete aiutarmi?', 'it'],
    ['Hallo, mijn bestelling is nog steeds niet geleverd.', 'nl'],
    ['注文した商品がまだ届いていません。', 'ja'],
  ])('detects %s as %s', (text, language) => {
    expect(score(text).language).toBe(language);
  });
  it.each([
    ['Me han cobrado dos veces el mismo pedido, ¿me podéis devolver uno de los cargos?', 'es'],
    ['Si no me devolvéis el dinero, mi abogado presentará una demanda.', 'es'],
    ["Bonjour, je n'ai toujours pas reçu ma commande de la semaine dernière.", 'fr'],
  ])('reads the body, not a helpdesk form\'s English subject: %s', (body, language) => {
    expect(score(body, 'Question about my order').language).toBe(language);
  });
  it.each([
    ['i wanna open a user account', 'en'],
    ['I made a mistake, modify my purchase', 'en'],
    ['Ik wil mijn bestelling annuleren', 'nl'],
    ['Jag vill avbryta min beställning', 'sv'],
  ])('reads a short informal line by its function words only when tinyld is unsure: %s', (text, language) => {
    expect(score(text).language).toBe(language);
  });
  it.each([
    ['Dobrý den, chtěl bych mluvit s vedoucím pobočky, jde o mého trenéra.', 'cs'],
    ['Bună ziua, sunt foarte nemulțumit de revizia centralei termice.', 'ro'],
    ['Jó napot, a szerelő nem jött ki, és a fűtés még mindig nem működik.', 'hu'],
  ])('reads letters no served language writes as another language, not German or Portuguese: %s', (text, language) => {
    expect(score(text).language).toBe(language);
    expect(route(text)).toBe('human');
  });
  it.each(['My order to Łódź has not arrived yet, can you check it?', 'Can Antonín Dvořák collect the parcel for me tomorrow?'])('keeps English with a Polish or Czech name in it: %s', (text) => {
    expect(score(text).language).toBe('en');
  });
  it("says 'und' for short text", () => {
    expect(score('hello').language).toBe('und');
    expect(score('agent please').language).toBe('und');
  });
  it('sends unsupported languages to a person', () => {
    expect(route('Buongiorno, il mio ordine non è ancora arrivato, potete aiutarmi?')).toBe('human');
  });
});

describe('contract of the score', () => {
  const samples = ['', 'hi', 'THIS IS UNACCEPTABLE!!!!!!!!!! '.repeat(50), '🙂'.repeat(300), 'a?'.repeat(500)];
  it.each(samples)('stays within bounds for %#', (body) => {
    const s = score(body);
    expect(s.sentiment).toBeGreaterThanOrEqual(-1);
    expect(s.sentiment).toBeLessThanOrEqual(1);
    expect(s.complexity).toBeGreaterThanOrEqual(0);
    expect(s.complexity).toBeLessThanOrEqual(1);
  });
  it('is deterministic', () => {
    const input = { subject: 'Refund', body: 'I was charged twice!!! My lawyer will hear about this 😡' };
    expect(scoreTicket(input)).toEqual(scoreTicket(input));
  });
  it('carries its version', () => {
    expect(SCORER_VERSION).toMatch(/^scorer-\d{4}\.\d+\.\d+$/);
    expect(score('hi').scorerVersion).toBe(SCORER_VERSION);
  });
});
