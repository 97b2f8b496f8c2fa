/** The tickets the intake and memory benchmarks post: 0.6–1.2 KB bodies in five languages, one in five asking for a person. */
import { randomUUID } from 'node:crypto';

const BODIES = [
  'Hi, I ordered a standing lamp (order A-1001) ten days ago and the tracking page still says "label created". Could you tell me when it will ship and whether I can change the delivery address to my office? Thanks a lot, and have a nice day.',
  'Hola, quería saber cuánto tarda en llegar un pedido a Canarias y si hay gastos de envío adicionales. También me gustaría saber si puedo pagar con PayPal. Muchas gracias por vuestra ayuda.',
  "Bonjour, je n'arrive pas à télécharger ma facture du mois d'octobre depuis mon espace client. Le bouton ne fait rien. Pouvez-vous me l'envoyer ou m'expliquer comment faire ? Merci.",
  'Hallo, ich möchte mein Abonnement vom Monatsplan auf den Jahresplan umstellen. Wie funktioniert das und wird der Restbetrag angerechnet? Vielen Dank im Voraus.',
  'I want to talk to a real person. This is the third time I write about the refund for order A-2231 and nobody has answered. I am really frustrated and considering a chargeback with my bank.',
];

export const SUBJECT = 'Question about my order';

/**
 * Each customer writes twice, and customers are new to every run and every bench process: with ids reused
 * across runs (the database outlives them), every customer soon had three recent tickets and every ticket
 * was a repeat contact, routed to a person, so intake was measured without its AI enqueue.
 */
const RUN = randomUUID().slice(0, 8);

export function ticketText(i: number): string {
  const text = BODIES[i % BODIES.length];
  return (text + ' ').repeat(Math.ceil(600 / text.length) + (i % 3)).trim();
}

export function ticketBody(i: number, source = 'bench'): string {
  return JSON.stringify({
    source,
    externalId: randomUUID(),
    channel: 'email',
    subject: SUBJECT,
    body: ticketText(i),
    customer: { externalId: `cust-${RUN}-${Math.floor(i / 2)}`, email: 'bench@example.com', name: 'Bench Customer', locale: 'en', tier: 'standard' },
    metadata: { orderId: 'A-1001' },
  });
}
