/**
 * The demo's pool of customer messages: what a support inbox sees in a day, in the five languages
 * the AI serves plus two it does not, from routine questions to cases that must reach a person.
 * `kind` is only for reading this file; Handoff decides the route from the text alone.
 */
export interface DemoMessage {
  kind: 'routine' | 'complaint' | 'legal' | 'chargeback' | 'security' | 'bereavement' | 'safety' | 'privacy' | 'human' | 'technical' | 'other_language';
  lang: string;
  channel: 'email' | 'chat' | 'web' | 'phone' | 'social';
  subject: string;
  body: string;
}

export const MESSAGES: DemoMessage[] = [
  // Routine, English
  { kind: 'routine', lang: 'en', channel: 'web', subject: 'Where is my order?', body: 'Hi, I ordered a desk lamp last Tuesday and the tracking page has not changed since. When will it arrive? Thanks!' },
  { kind: 'routine', lang: 'en', channel: 'chat', subject: 'Reset password', body: 'How do I reset my password? I forgot it and cannot log in to the app.' },
  { kind: 'routine', lang: 'en', channel: 'email', subject: 'Change delivery address', body: 'Hello, can I still change the delivery address for my order? I am moving next week.' },
  { kind: 'routine', lang: 'en', channel: 'web', subject: 'Return policy', body: 'What is your return policy? I would like to return a pair of shoes that are too small.' },
  { kind: 'routine', lang: 'en', channel: 'chat', subject: 'Invoice copy', body: 'Could you tell me where I can download an invoice for my last purchase? I need it for my expenses.' },
  { kind: 'routine', lang: 'en', channel: 'email', subject: 'Cancel subscription', body: 'How can I cancel my subscription at the end of this month? Thank you.' },
  { kind: 'routine', lang: 'en', channel: 'web', subject: 'Update card', body: 'I got a new credit card. How do I update my payment method on my account?' },
  { kind: 'routine', lang: 'en', channel: 'social', subject: 'Shipping to Canada', body: 'Do you ship to Canada, and how long does delivery usually take?' },
  // Routine, Spanish
  { kind: 'routine', lang: 'es', channel: 'email', subject: '¿Dónde está mi pedido?', body: 'Hola, hice un pedido hace una semana y todavía no ha llegado. ¿Podéis decirme cuándo llegará? Gracias.' },
  { kind: 'routine', lang: 'es', channel: 'chat', subject: 'Cambiar contraseña', body: '¿Cómo puedo cambiar mi contraseña? No encuentro la opción en la aplicación.' },
  { kind: 'routine', lang: 'es', channel: 'web', subject: 'Devolución', body: 'Quiero devolver unas zapatillas que me quedan pequeñas. ¿Cómo funciona la devolución?' },
  { kind: 'routine', lang: 'es', channel: 'email', subject: 'Factura', body: 'Buenos días, ¿dónde puedo descargar la factura de mi última compra? La necesito para la empresa.' },
  { kind: 'routine', lang: 'es', channel: 'web', subject: 'Cancelar suscripción', body: '¿Cómo cancelo mi suscripción a final de mes? Muchas gracias.' },
  // Routine, French
  { kind: 'routine', lang: 'fr', channel: 'email', subject: 'Où est ma commande ?', body: "Bonjour, j'ai passé une commande il y a six jours et elle n'est toujours pas arrivée. Pouvez-vous me dire quand je vais la recevoir ? Merci." },
  { kind: 'routine', lang: 'fr', channel: 'chat', subject: 'Mot de passe oublié', body: "Comment réinitialiser mon mot de passe ? Je n'arrive plus à me connecter." },
  { kind: 'routine', lang: 'fr', channel: 'web', subject: 'Retour', body: 'Quelle est votre politique de retour ? Je voudrais renvoyer un manteau trop grand.' },
  { kind: 'routine', lang: 'fr', channel: 'email', subject: 'Changer de carte', body: 'Bonjour, comment puis-je mettre à jour ma carte bancaire sur mon compte ?' },
  // Routine, German
  { kind: 'routine', lang: 'de', channel: 'email', subject: 'Wo ist meine Bestellung?', body: 'Hallo, ich habe vor einer Woche bestellt und das Paket ist noch nicht angekommen. Wann wird es geliefert? Danke.' },
  { kind: 'routine', lang: 'de', channel: 'chat', subject: 'Passwort zurücksetzen', body: 'Wie kann ich mein Passwort zurücksetzen? Ich komme nicht mehr in mein Konto.' },
  { kind: 'routine', lang: 'de', channel: 'web', subject: 'Rücksendung', body: 'Wie funktioniert die Rücksendung? Die Schuhe sind leider zu klein.' },
  { kind: 'routine', lang: 'de', channel: 'email', subject: 'Rechnung', body: 'Guten Tag, wo finde ich die Rechnung für meine letzte Bestellung? Vielen Dank.' },
  // Routine, Portuguese
  { kind: 'routine', lang: 'pt', channel: 'email', subject: 'Onde está a minha encomenda?', body: 'Olá, fiz uma encomenda há uma semana e ainda não chegou. Podem dizer-me quando vai chegar? Obrigada.' },
  { kind: 'routine', lang: 'pt', channel: 'chat', subject: 'Redefinir senha', body: 'Como faço para redefinir a minha senha? Não consigo entrar na conta.' },
  { kind: 'routine', lang: 'pt', channel: 'web', subject: 'Devolução', body: 'Qual é a política de devolução? Quero devolver um casaco que ficou grande.' },
  { kind: 'routine', lang: 'pt', channel: 'email', subject: 'Cancelar assinatura', body: 'Como posso cancelar a minha assinatura no fim do mês? Obrigado.' },
  // Technical
  { kind: 'technical', lang: 'en', channel: 'web', subject: 'App crashes on export', body: 'Since the last update the app crashes every time I export a report to PDF on Android 14. I reinstalled it, cleared the cache and tried on wifi and mobile data, but it still crashes after the progress bar reaches about 80%. The error code shown is E-5012. Our team relies on these exports for weekly reporting and the API integration also returns a 500 on the same endpoint intermittently.' },
  { kind: 'technical', lang: 'de', channel: 'email', subject: 'Synchronisierung fehlgeschlagen', body: 'Die Synchronisierung zwischen der Desktop-App und dem Server schlägt seit gestern fehl. Fehlermeldung: SYNC_TIMEOUT nach 30 Sekunden. Wir haben die Firewall geprüft, den Proxy deaktiviert und die App neu installiert. Betroffen sind alle zwölf Arbeitsplätze in unserem Büro, die Integration über die API liefert ebenfalls Zeitüberschreitungen.' },
  { kind: 'technical', lang: 'fr', channel: 'web', subject: "Erreur d'intégration", body: "Notre intégration avec votre API renvoie une erreur 401 depuis la rotation de nos clés, alors que la nouvelle clé fonctionne dans votre console. Nous avons vérifié les en-têtes, l'horloge du serveur et les permissions du compte de service. Les webhooks arrivent aussi en double depuis mardi." },
  // Complaints
  { kind: 'complaint', lang: 'en', channel: 'email', subject: 'Absolutely unacceptable', body: 'This is the third time my order arrived broken. Your service is terrible and nobody ever answers. I am furious and I want a full refund immediately or I am cancelling everything and leaving a review everywhere.' },
  { kind: 'complaint', lang: 'en', channel: 'social', subject: 'Worst support ever', body: 'I have been waiting two weeks for a reply. This is disgusting, awful service. I am done with your company and will switch to a competitor.' },
  { kind: 'complaint', lang: 'es', channel: 'email', subject: 'Queja formal', body: 'Es una vergüenza. Es la tercera vez que me llega el pedido roto y nadie me responde. Estoy harta, quiero presentar una queja formal y el reembolso completo.' },
  { kind: 'complaint', lang: 'fr', channel: 'email', subject: 'Réclamation', body: "C'est inadmissible ! Ma commande est arrivée cassée pour la deuxième fois et personne ne répond. Je suis furieux et je veux déposer une réclamation officielle." },
  { kind: 'complaint', lang: 'de', channel: 'email', subject: 'Beschwerde', body: 'Das ist eine Unverschämtheit! Zum dritten Mal kommt die Ware beschädigt an und niemand antwortet. Ich möchte mich offiziell beschweren und verlange mein Geld zurück.' },
  // Legal threats
  { kind: 'legal', lang: 'en', channel: 'email', subject: 'Legal action', body: 'You have ignored my refund request for a month. If this is not resolved by Friday my lawyer will file a claim in small claims court.' },
  { kind: 'legal', lang: 'de', channel: 'email', subject: 'Anwalt', body: 'Wenn Sie mir bis Freitag nicht das Geld erstatten, werde ich meinen Anwalt einschalten und rechtliche Schritte einleiten.' },
  { kind: 'legal', lang: 'es', channel: 'email', subject: 'Demanda', body: 'Si no me devolvéis el dinero esta semana, mi abogado presentará una demanda contra vuestra empresa.' },
  // Chargebacks and billing disputes
  { kind: 'chargeback', lang: 'en', channel: 'email', subject: 'Charged twice', body: 'I was charged twice for the same order this month. Please refund the duplicate charge or I will open a chargeback with my bank.' },
  { kind: 'chargeback', lang: 'pt', channel: 'email', subject: 'Cobrança duplicada', body: 'Fui cobrado duas vezes pela mesma encomenda. Quero o reembolso da cobrança duplicada ou vou contestar junto do banco.' },
  { kind: 'chargeback', lang: 'fr', channel: 'web', subject: 'Double prélèvement', body: "J'ai été débité deux fois ce mois-ci. Remboursez le prélèvement en double ou je conteste auprès de ma banque." },
  // Hacked accounts
  { kind: 'security', lang: 'en', channel: 'chat', subject: 'Account hacked', body: 'Someone hacked my account, changed my email and placed orders I did not make. Please lock it now!' },
  { kind: 'security', lang: 'es', channel: 'chat', subject: 'Cuenta hackeada', body: 'Me han hackeado la cuenta, alguien cambió mi correo y ha hecho compras que no reconozco. Por favor bloqueadla.' },
  { kind: 'security', lang: 'de', channel: 'web', subject: 'Konto gehackt', body: 'Mein Konto wurde gehackt. Jemand hat mein Passwort geändert und Bestellungen aufgegeben, die nicht von mir sind.' },
  // Bereavement and health
  { kind: 'bereavement', lang: 'en', channel: 'email', subject: 'Account of my late father', body: 'My father passed away last month. I need to close his account and stop the subscription payments. I do not know where to start.' },
  { kind: 'bereavement', lang: 'fr', channel: 'email', subject: 'Décès', body: "Ma mère est décédée il y a deux semaines. Comment puis-je fermer son compte et arrêter les prélèvements ?" },
  { kind: 'bereavement', lang: 'pt', channel: 'email', subject: 'Falecimento', body: 'O meu marido faleceu recentemente e preciso de cancelar a conta dele. Não sei o que fazer.' },
  // Safety: handled respectfully, always by a person
  { kind: 'safety', lang: 'en', channel: 'chat', subject: 'Not doing well', body: "Honestly I don't see the point anymore. I have been thinking about ending my life. I just wanted someone to know." },
  // Privacy requests
  { kind: 'privacy', lang: 'en', channel: 'email', subject: 'GDPR request', body: 'Under GDPR I request a copy of all personal data you hold about me, and then its deletion.' },
  { kind: 'privacy', lang: 'de', channel: 'email', subject: 'DSGVO Auskunft', body: 'Gemäß DSGVO verlange ich Auskunft über alle personenbezogenen Daten, die Sie über mich gespeichert haben, und deren Löschung.' },
  { kind: 'privacy', lang: 'es', channel: 'email', subject: 'RGPD', body: 'Conforme al RGPD, solicito la eliminación de todos mis datos personales.' },
  // Explicit requests for a human
  { kind: 'human', lang: 'en', channel: 'chat', subject: 'Real person please', body: 'I do not want to talk to a bot. Please let me speak to a real person about my order.' },
  { kind: 'human', lang: 'es', channel: 'chat', subject: 'Hablar con una persona', body: 'Quiero hablar con una persona, no con un robot, sobre mi pedido.' },
  { kind: 'human', lang: 'fr', channel: 'phone', subject: 'Un humain', body: 'Je veux parler à un humain, pas à un robot, au sujet de ma livraison.' },
  { kind: 'human', lang: 'de', channel: 'chat', subject: 'Mitarbeiter', body: 'Ich möchte bitte mit einem echten Mitarbeiter sprechen, nicht mit einem Bot.' },
  { kind: 'human', lang: 'pt', channel: 'chat', subject: 'Atendente humano', body: 'Quero falar com um atendente humano, não com um robô, por favor.' },
  // Languages the AI does not serve
  { kind: 'other_language', lang: 'it', channel: 'email', subject: "Dov'è il mio ordine?", body: 'Buongiorno, ho fatto un ordine la settimana scorsa e non è ancora arrivato. Potete dirmi quando arriverà? Grazie mille.' },
  { kind: 'other_language', lang: 'ja', channel: 'email', subject: '注文について', body: '先週注文した商品がまだ届いていません。いつ届くか教えていただけますか？よろしくお願いします。' },
  // A few more routine ones so a day is mostly routine
  { kind: 'routine', lang: 'en', channel: 'web', subject: 'Gift card', body: 'Can I use two gift cards on the same order?' },
  { kind: 'routine', lang: 'en', channel: 'chat', subject: 'Opening hours', body: 'What are your customer service opening hours?' },
  { kind: 'routine', lang: 'es', channel: 'chat', subject: 'Envío', body: '¿Cuánto tarda el envío a Canarias?' },
  { kind: 'routine', lang: 'de', channel: 'web', subject: 'Zahlungsarten', body: 'Welche Zahlungsarten akzeptieren Sie? Kann ich mit PayPal bezahlen?' },
  { kind: 'routine', lang: 'pt', channel: 'web', subject: 'Portes', body: 'Quanto custam os portes de envio para os Açores?' },
  { kind: 'routine', lang: 'fr', channel: 'chat', subject: 'Horaires', body: 'Quels sont les horaires de votre service client ?' },
];

/** What an unhappy customer writes back after an AI answer, per language. */
export const DISSATISFIED_FOLLOW_UPS: Record<string, string> = {
  en: "That didn't help at all. I still have the same problem, please have a person look at it.",
  es: 'Eso no me ha ayudado nada. Sigo con el mismo problema, quiero que lo revise una persona.',
  fr: "Ça ne m'aide pas du tout. J'ai toujours le même problème, je veux qu'une personne s'en occupe.",
  de: 'Das hat mir überhaupt nicht geholfen. Ich habe immer noch dasselbe Problem, bitte schauen Sie es sich persönlich an.',
  pt: 'Isso não ajudou nada. Continuo com o mesmo problema, quero que uma pessoa veja isto.',
};

/** What simulated agents write, per language. */
export const AGENT_REPLIES: Record<string, string> = {
  en: "Thanks for your patience, I've looked into this personally and sorted it out. Let me know if anything else comes up.",
  es: 'Gracias por tu paciencia. Lo he revisado personalmente y ya está solucionado. Cualquier otra cosa, aquí estamos.',
  fr: "Merci de votre patience, j'ai vérifié personnellement et c'est réglé. N'hésitez pas si besoin.",
  de: 'Danke für Ihre Geduld, ich habe mir das persönlich angesehen und es ist erledigt. Melden Sie sich gern bei weiteren Fragen.',
  pt: 'Obrigado pela paciência, verifiquei pessoalmente e já está resolvido. Qualquer coisa, estamos aqui.',
};

export const FIRST_NAMES = ['Ana', 'Luis', 'Camille', 'Jonas', 'Inês', 'Priya', 'Tom', 'Marta', 'Élodie', 'Lukas', 'João', 'Sofia', 'Kenji', 'Giulia', 'Omar', 'Hannah'];
