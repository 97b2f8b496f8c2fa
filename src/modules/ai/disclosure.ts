/** Languages with their own wording; anything else is answered in English. */
export const DISCLOSURE_LANGUAGES = ['en', 'es', 'fr', 'de', 'pt'] as const;
export type DisclosureLanguage = (typeof DISCLOSURE_LANGUAGES)[number];

/**
 * What a customer can reply to reach a person. These exact phrases must stay in the scorer's
 * human-request lexicon, or the way out that every AI message promises would not work.
 */
export const TALK_TO_A_PERSON: Record<DisclosureLanguage, string> = {
  en: 'talk to a person',
  es: 'hablar con una persona',
  fr: 'parler à une personne',
  de: 'mit einem Menschen sprechen',
  pt: 'falar com uma pessoa',
};

const DISCLOSURES: Record<DisclosureLanguage, string> = {
  en: `This answer was written by an AI assistant; reply "${TALK_TO_A_PERSON.en}" at any time to reach a member of our team.`,
  es: `Esta respuesta la ha escrito un asistente de IA; responde «${TALK_TO_A_PERSON.es}» en cualquier momento para que te atienda alguien de nuestro equipo.`,
  fr: `Cette réponse a été rédigée par un assistant IA ; répondez « ${TALK_TO_A_PERSON.fr} » à tout moment pour joindre un membre de notre équipe.`,
  de: `Diese Antwort wurde von einem KI-Assistenten verfasst; antworten Sie jederzeit „${TALK_TO_A_PERSON.de}“, um jemanden aus unserem Team zu erreichen.`,
  pt: `Esta resposta foi escrita por um assistente de IA; responda “${TALK_TO_A_PERSON.pt}” a qualquer momento para ser atendido por alguém da nossa equipa.`,
};

const NOTICES: Record<DisclosureLanguage, { passed: string; by: (when: string) => string; soon: string; locale: string }> = {
  en: {
    locale: 'en-GB',
    passed: 'We have passed your request to our support team.',
    by: (when) => `A member of our team will reply by ${when} UTC.`,
    soon: 'A member of our team will reply as soon as possible.',
  },
  es: {
    locale: 'es-ES',
    passed: 'Hemos pasado tu solicitud a nuestro equipo de atención al cliente.',
    by: (when) => `Una persona de nuestro equipo te responderá antes del ${when} UTC.`,
    soon: 'Una persona de nuestro equipo te responderá lo antes posible.',
  },
  fr: {
    locale: 'fr-FR',
    passed: 'Nous avons transmis votre demande à notre équipe d’assistance.',
    by: (when) => `Un membre de notre équipe vous répondra d’ici le ${when} UTC.`,
    soon: 'Un membre de notre équipe vous répondra dès que possible.',
  },
  de: {
    locale: 'de-DE',
    passed: 'Wir haben Ihre Anfrage an unser Support-Team weitergegeben.',
    by: (when) => `Ein Mitglied unseres Teams antwortet Ihnen bis zum ${when} UTC.`,
    soon: 'Ein Mitglied unseres Teams antwortet Ihnen so bald wie möglich.',
  },
  pt: {
    // European Portuguese, like the help-centre articles.
    locale: 'pt-PT',
    passed: 'Encaminhámos o seu pedido para a nossa equipa de apoio ao cliente.',
    by: (when) => `Uma pessoa da nossa equipa irá responder até ${when} UTC.`,
    soon: 'Uma pessoa da nossa equipa irá responder o mais rapidamente possível.',
  },
};

/** Maps 'es-MX', 'PT', 'und' and the like onto one of the five languages, English by default. */
export function disclosureLanguage(language: string): DisclosureLanguage {
  const base = language.trim().toLowerCase().split(/[-_]/)[0];
  return (DISCLOSURE_LANGUAGES as readonly string[]).includes(base) ? (base as DisclosureLanguage) : 'en';
}

/**
 * The sentence every AI message carries: customers have a right to know a machine wrote it, and the
 * reply phrase it names is one the scorer recognises, so saying it routes the ticket to a person.
 */
export function aiDisclosure(language: string): string {
  return DISCLOSURES[disclosureLanguage(language)];
}

/**
 * Tells a customer their ticket is now with a person and by when they will hear back, in UTC so the
 * promise is unambiguous. A due time already past promises "as soon as possible" instead of a past date.
 */
export function escalationNotice(language: string, dueAt: Date, now: Date): string {
  const notice = NOTICES[disclosureLanguage(language)];
  if (dueAt.getTime() <= now.getTime()) return `${notice.passed} ${notice.soon}`;
  const when = new Intl.DateTimeFormat(notice.locale, {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(dueAt);
  return `${notice.passed} ${notice.by(when)}`;
}
