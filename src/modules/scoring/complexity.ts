import type { Topic } from './types';

export const COMPLEXITY_FEATURES = ['length', 'questions', 'topics', 'technical', 'identifiers', 'issues'] as const;
export type ComplexityFeature = (typeof COMPLEXITY_FEATURES)[number];

/**
 * How much each feature can add. No single feature reaches the 0.7 handoff threshold on its own, nor do
 * length, asks and topics together without identifiers, technical detail or announced problems: a long
 * message is not complex, nor is a long, friendly list of questions about one exchange; a long message
 * listing several technical faults is, and so is a list of problems the customer calls separate. Technical
 * detail and announced problems weigh most because they are what the AI cannot act on in one answer.
 */
const WEIGHTS: Record<ComplexityFeature, number> = {
  length: 0.15,
  questions: 0.25,
  topics: 0.15,
  technical: 0.4,
  identifiers: 0.15,
  issues: 0.4,
};

/** Characters of body at which the length feature saturates (a long email, not a chat line). */
const LONG_MESSAGE_CHARS = 1000;
/** Asks beyond the first, saturating at this many more: three separate asks are already a multi-part message. */
const EXTRA_QUESTIONS_SATURATION = 2;
const EXTRA_TOPICS_SATURATION = 2;
const TECHNICAL_SATURATION = 6;
const EXTRA_IDENTIFIERS_SATURATION = 2;

/** Signals that cannot match without a digit; a message without one skips them (and identifiers). */
const TECHNICAL_SIGNALS_WITH_DIGITS: RegExp[] = [
  // The word for "error" or "code" in each served language, before a code: "erreur AADSTS50020", "Fehler 4012".
  // One run of spaces either side of the ":" or "#": two optional runs in a row backtracked quadratically.
  /\b(?:error|err|code|status|exception|errno|erreur|statut|fehler(?:code)?|erro|c[oó]digo)\s*(?:[:#]\s*)?[a-z_]*[-_]?\d{2,}/gi,
  /\bHTTP\/?\s?[1-5]\d\d\b|\b(?:40[0-9]|42[29]|5\d\d)\s+(?:errors?|not found|forbidden|unauthori[sz]ed|bad (?:gateway|request)|gateway timeout|timeouts?|unavailable|internal|invalid)/gi,
  // A status written as a plural ("502s") or after a verb of answering, which amounts and counts are not.
  // The number is found first and the verb looked for behind it: scanning for the verbs costs four times more.
  /\b[45]\d\d(?:s\b|\b(?<=\b(?:returns?|returned|returning|throws?|devuelven?|retorna[mn]?|devolvem|renvoi(?:e|ent)|retourne(?:nt)?|liefer[tn])\s+(?:(?:an?|une?|el|um|einen?)\s+)?(?:HTTP\s?)?\d+))/gi,
  /^\s*at\s+\S+\s+\(?[^)\s]+:\d+:\d+\)?/gm,
  /\bv?\d+\.\d+\.\d+(?:[-.]\w+)?\b/g,
  /\b(?:iOS|Android|Windows|macOS|Chrome|Firefox|Safari|Edge)\s*\d+/gi,
];
/**
 * The customer saying the message holds several separate problems ("three separate things", "a few issues",
 * "mehrere Anliegen", "plusieurs problèmes"): with a list or several asks it reaches the threshold, as a message
 * about a billing error, a merged account and a lost parcel at once should. A friendly list of questions about
 * one exchange announces questions, not problems, and does not count.
 */
const ANNOUNCED_ISSUES =
  /\b(?:(?:several|multiple|a few|a couple of|two|three|four|five|various|a number of) (?:separate |different |unrelated |distinct )?(?:issues|problems|faults|complaints)|(?:several|multiple|a few|a couple of|two|three|four|five) (?:separate|different|unrelated|distinct) (?:things|matters|points|requests)|mehrere (?:\S+ )?(?:anliegen|probleme|baustellen|sachen)|(?:zwei|drei|vier|f[uü]nf) (?:verschiedene |separate |unterschiedliche )?(?:anliegen|probleme)|plusieurs (?:\S+ )?(?:probl[eè]mes|soucis|sujets|r[eé]clamations)|(?:deux|trois|quatre|cinq) (?:probl[eè]mes|soucis) (?:diff[eé]rents|distincts|s[eé]par[eé]s)|(?:varios|varias|dos|tres|cuatro|cinco) (?:\S+ )?(?:problemas|incidencias)|(?:v[aá]rios|v[aá]rias|dois|duas|tr[eê]s|quatro|cinco) (?:\S+ )?problemas)\b/i;
/** A constant like ERR_TIMEOUT or E-CONN; it cannot match without "_" or "-", which most messages lack. */
const CONSTANT_NAME = /\b[A-Z]{2,}[_-][A-Z0-9_]{2,}\b/g;
/** snake_case names (invalid_grant, req_8f2a91c0) read the same in every language; they need a "_". */
const SNAKE_CASE = /\b[a-z][a-z0-9]*_[a-z0-9_]*[a-z0-9]\b(?!@)/g;
/**
 * API paths with two segments or more (/v2/orders, /api/v3/stock). The slash must not follow a letter,
 * digit, slash or dot, so dates (12/06), "and/or" and the paths of links a customer pastes do not count.
 */
const URL_PATH = /(?<![\w/.:])\/[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_{}:-]+(?:\.[A-Za-z0-9_{}:-]+)*)+/g;
const DIGIT = /\d/;
/** Every identifier form ends in four digits in a row; most messages have none and skip the regex. */
const FOUR_DIGITS = /\d{4}/;
/**
 * Either case of each ASCII letter, spelled out: without the `i` flag V8 scans this regex in half the
 * time, and for ASCII letters `i` means exactly this (no other character folds to one without `u`).
 */
const anyCase = (source: string) => source.replace(/[a-z]/gi, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);

interface TrieNode {
  next: Map<string, TrieNode>;
  end: boolean;
}

/**
 * One alternative per first letter, then per next letter, instead of one per word: V8 tries a regex's
 * alternatives one after another at every word start, so listing a hundred words flat cost twice the
 * scan of the thirty-odd this list used to have, and the trie costs about the same as those did.
 * Exported for its test.
 */
export function trieSource(words: readonly string[], letter: (c: string) => string): string {
  const root: TrieNode = { next: new Map(), end: false };
  for (const word of words) {
    let node = root;
    for (const c of word) {
      if (!node.next.has(c)) node.next.set(c, { next: new Map(), end: false });
      node = node.next.get(c)!;
    }
    node.end = true;
  }
  const source = (node: TrieNode): string => {
    const branches = [...node.next].map(([c, child]) => letter(c) + source(child));
    if (branches.length === 0) return '';
    if (node.end) return `(?:${branches.join('|')})?`;
    return branches.length === 1 ? branches[0] : `(?:${branches.join('|')})`;
  };
  return source(root);
}

const escape = (c: string) => c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/**
 * Words of technical detail in any case. Each language served has its own words for an interface, an
 * integration or a sync; most other jargon (webhook, token, tenant, sandbox) is borrowed as is. Words a
 * consumer uses about an app ("login", "update", "app") are left out: they say nothing of how much a
 * person is needed.
 */
const TECHNICAL_WORDS = [
  ...['traceback', 'exception', 'nullpointer', 'typeerror', 'referenceerror', 'stacktrace', 'stack trace', 'segfault', 'core dump'],
  ...['webhook', 'webhooks', 'endpoint', 'endpoints', 'token', 'tokens', 'tenant', 'tenants', 'provisioning', 'sandbox', 'sandboxes'],
  ...['payload', 'payloads', 'timeout', 'timeouts', 'time-out', 'time-outs', 'rate limit', 'rate limits', 'rate-limit', 'rate-limits'],
  ...['connector', 'connectors', 'idempotency', 'idempotent', 'pagination', 'callback', 'callbacks', 'credentials', 'integration', 'integrations'],
  ...['intégration', 'intégrations', 'connecteur', 'connecteurs', 'synchronisation', 'jeton', 'jetons', 'authentification', 'environnement de test'],
  ...['integración', 'integracion', 'conector', 'conectores', 'sincronización', 'sincronizacion', 'credenciales', 'entorno de pruebas'],
  ...['schnittstelle', 'schnittstellen', 'endpunkt', 'endpunkte', 'anbindung', 'authentifizierung', 'synchronisierung', 'zugangsdaten'],
  ...['paginierung', 'testumgebung', 'integração', 'sincronização', 'credenciais', 'ambiente de teste', 'ambiente de testes', 'homologação'],
];
/** Acronyms and products as written: in lowercase several are ordinary words ("rest", "sap", "entra"). */
const TECHNICAL_NAMES = [
  ...['API', 'APIs', 'SDK', 'SSO', 'SAML', 'SCIM', 'OAuth', 'OAuth2', 'OIDC', 'IdP', 'IdPs', 'LDAP', 'MFA', 'DNS', 'SMTP', 'IMAP', 'TLS', 'SSL'],
  ...['JSON', 'XML', 'CSV', 'YAML', 'SQL', 'HTTP', 'HTTPS', 'URL', 'REST', 'JWT', 'HMAC', 'CORS', 'ERP', 'CRM', 'SAP', 'VPN', 'FTP', 'SFTP', 'EDI'],
  ...['Okta', 'Azure', 'Entra', 'OneLogin', 'Salesforce', 'NetSuite', 'Dynamics', 'Shopify', 'WooCommerce', 'Magento', 'Zapier'],
];
const TECHNICAL_TERMS = new RegExp(
  `\\b(?:${trieSource(TECHNICAL_WORDS, (c) => anyCase(escape(c)))}|${trieSource(TECHNICAL_NAMES, escape)})\\b`,
  'g',
);
const ID_WORDS = anyCase('order|commande|pedido|bestellung|encomenda|invoice|account|ticket|case');
const ID_NUMBER_WORDS = `${anyCase('no')}\\.?|${anyCase('number')}|${anyCase('nr')}\\.?|${anyCase('n')}[°º]|#`;
const IDENTIFIER = new RegExp(`(?:#\\s?\\d{4,}|\\b[A-Za-z]{1,4}-?\\d{4,}\\b|\\b(?:${ID_WORDS})\\s*(?:${ID_NUMBER_WORDS})?\\s*:?\\s*[A-Za-z0-9-]*\\d{4,}[A-Za-z0-9-]*)`, 'g');

export interface ComplexityResult {
  complexity: number;
  /** What each feature added to the total, for explainability. */
  features: Record<ComplexityFeature, number>;
}

const saturate = (value: number, at: number) => Math.min(1, Math.max(0, value) / at);

/** Complexity in [0, 1] from length, distinct asks, topics, technical detail, identifiers and announced separate problems. */
export function scoreComplexity(body: string, topics: readonly Topic[]): ComplexityResult {
  const asks = Math.max(distinctQuestions(body), listItems(body), ordinalItems(body));
  const distinctTopics = topics.filter((t) => t !== 'general').length;
  const digits = DIGIT.test(body);
  const technicalSignals = technicalTerms(body) + technicalShapes(body, digits);
  const identifiers = digits && FOUR_DIGITS.test(body) ? new Set((body.match(IDENTIFIER) ?? []).map((id) => id.replace(/\D/g, ''))).size : 0;

  const features: Record<ComplexityFeature, number> = {
    length: WEIGHTS.length * saturate(body.length, LONG_MESSAGE_CHARS),
    questions: WEIGHTS.questions * saturate(asks - 1, EXTRA_QUESTIONS_SATURATION),
    topics: WEIGHTS.topics * saturate(distinctTopics - 1, EXTRA_TOPICS_SATURATION),
    technical: WEIGHTS.technical * saturate(technicalSignals, TECHNICAL_SATURATION),
    identifiers: WEIGHTS.identifiers * saturate(identifiers - 1, EXTRA_IDENTIFIERS_SATURATION),
    issues: ANNOUNCED_ISSUES.test(body) ? WEIGHTS.issues : 0,
  };
  let complexity = 0;
  for (const feature of COMPLEXITY_FEATURES) complexity += features[feature];
  return { complexity: Math.min(1, complexity), features };
}

/**
 * Distinct terms: a webhook named five times is one subject, and counting every mention let one
 * pre-sales question about webhooks weigh as much as five different faults.
 */
function technicalTerms(body: string): number {
  const matches = body.match(TECHNICAL_TERMS);
  if (!matches) return 0;
  const terms = new Set<string>();
  for (const match of matches) {
    const term = match.toLowerCase();
    terms.add(term.endsWith('s') ? term.slice(0, -1) : term);
  }
  return terms.size;
}

/** Signals told by their shape, not their words, so they count alike in every language. */
function technicalShapes(body: string, digits: boolean): number {
  let signals = dottedNames(body);
  if (body.includes('-') || body.includes('_')) signals += body.match(CONSTANT_NAME)?.length ?? 0;
  if (body.includes('_')) signals += body.match(SNAKE_CASE)?.length ?? 0;
  if (body.includes('/')) signals += body.match(URL_PATH)?.length ?? 0;
  if (digits) for (const signal of TECHNICAL_SIGNALS_WITH_DIGITS) signals += body.match(signal)?.length ?? 0;
  return signals;
}

/** Second parts of a dotted name that make it a web address (shop.com), not an event or file name. */
const DOMAIN_ENDINGS = new Set(['com', 'net', 'org', 'info', 'biz', 'gov', 'edu', 'app', 'dev', 'shop', 'store', 'online']);

const isLetter = (c: number) => c >= 97 && c <= 122;
const isNameChar = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95;
/** Characters that make a dotted word part of an address, a path or a longer dotted chain. */
const JOINED = new Set(['.', '@', '/', '-', ':']);

/**
 * Lowercase dotted names such as order.created or config.yaml: event, field and file names, spelt alike
 * in every language. Only the dots between two lowercase letters are looked at (prose puts a space after
 * its full stops), so this costs a native search per dot. Parts of one letter ("e.g.", "z.B.") and
 * addresses (www.shop.com, name@mail.fr) do not count.
 */
function dottedNames(body: string): number {
  let count = 0;
  for (let dot = body.indexOf('.'); dot !== -1; dot = body.indexOf('.', dot + 1)) {
    if (!isNameChar(body.charCodeAt(dot - 1)) || !isNameChar(body.charCodeAt(dot + 1))) continue;
    let start = dot - 1;
    while (start > 0 && isNameChar(body.charCodeAt(start - 1))) start--;
    let end = dot + 1;
    while (end < body.length && isNameChar(body.charCodeAt(end))) end++;
    const before = body[start - 1] ?? ' ';
    const after = body[end] ?? ' ';
    if (dot - start < 2 || end - dot - 1 < 2 || !isLetter(body.charCodeAt(start)) || !isLetter(body.charCodeAt(dot + 1))) continue;
    if (JOINED.has(before) || JOINED.has(after) || /\w/.test(before) || /\w/.test(after)) continue;
    if (DOMAIN_ENDINGS.has(body.slice(dot + 1, end))) continue;
    count++;
  }
  return count;
}

/** Characters that open a list item when a space follows: "–" is the usual bullet in French and German. */
const BULLETS = new Set(['-', '*', '•', '–', '·', '▪']);
const isDigit = (c: number) => c >= 48 && c <= 57;
const isLetterOrDigit = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);

/**
 * Separate asks set out as a list: lines opening with a bullet, "1." or "1)", and "1) … 2) …" within a
 * line. Multi-part requests often ask no question at all ("we need help with: - … - …"). Numbered and
 * lettered items count as far as they run unbroken from 1 or "a", so "(at 3)" or a line starting
 * "2. Mahnung" is not a list.
 */
function listItems(body: string): number {
  let bullets = 0;
  const numbers = new Set<number>();
  const letters = new Set<number>();
  for (let start = 0; start < body.length; ) {
    let i = start;
    while (body[i] === ' ' || body[i] === '\t') i++;
    if (BULLETS.has(body[i]) && (body[i + 1] === ' ' || body[i + 1] === '\t') && !/\s/.test(body[i + 2] ?? '\n')) bullets++;
    else if (isDigit(body.charCodeAt(i))) {
      let j = i + 1;
      if (isDigit(body.charCodeAt(j))) j++;
      if ((body[j] === '.' || body[j] === ')') && (body[j + 1] === ' ' || body[j + 1] === '\t')) numbers.add(Number(body.slice(i, j)));
    }
    const newline = body.indexOf('\n', start);
    if (newline === -1) break;
    start = newline + 1;
  }
  for (let close = body.indexOf(')'); close !== -1; close = body.indexOf(')', close + 1)) {
    const marker = body.charCodeAt(close - 1);
    if (!/\s/.test(body[close + 1] ?? ' ') || isLetterOrDigit(body[close - 2])) continue;
    if (marker >= 49 && marker <= 57) numbers.add(marker - 48);
    else if (marker >= 97 && marker <= 104) letters.add(marker - 96);
  }
  return bullets + unbroken(numbers) + unbroken(letters);
}

/** Each served language's enumerating adverbs ("first, … second, …"), by the place each gives. */
const ORDINAL_PLACES: Record<string, number> = {
  first: 1, firstly: 1, second: 2, secondly: 2, third: 3, thirdly: 3, fourth: 4, fourthly: 4, fifth: 5, fifthly: 5,
  primero: 1, primeiro: 1, segundo: 2, tercero: 3, terceiro: 3, cuarto: 4, quarto: 4, quinto: 5,
  premierement: 1, deuxiemement: 2, troisiemement: 3, quatriemement: 4, cinquiemement: 5,
  erstens: 1, zweitens: 2, drittens: 3, viertens: 4, funftens: 5,
};
const ORDINAL = /\b(?:first|second|third|fourth|fifth)(?:ly)?\b|\b(?:primer|primeir|segund|tercer|terceir|cuart|quart|quint)o\b|\b(?:premi[eè]re|deuxi[eè]me|troisi[eè]me|quatri[eè]me|cinqui[eè]me)ment\b|\b(?:erst|zweit|dritt|viert|f[uü]nft)ens\b/gi;
/** Cheap gate: an enumeration in prose has to start with its first place. */
const FIRST_PLACE = /\b(?:first|primer|primeir|premi[eè]rement|erstens)/i;
/** Words after which an enumerating adverb opens the next part: "…, and third the export". */
const JOINING_WORDS = new Set(['and', 'also', 'then', 'y', 'e', 'et', 'puis', 'und', 'dann']);

/**
 * Separate asks set out in prose: "First, the invoice…, second the API…, and third the export…".
 * A place counts where a clause opens (after punctuation, a line break or "and"), so "my second order"
 * or "the first time" is not an enumeration, and places count as far as they run unbroken from the first.
 */
function ordinalItems(body: string): number {
  if (!FIRST_PLACE.test(body)) return 0;
  const places = new Set<number>();
  for (const match of body.matchAll(ORDINAL)) {
    const before = body.slice(Math.max(0, match.index - 12), match.index).trimEnd();
    const opensClause = before === '' || /[.,;:!?(\n]$/.test(before) || JOINING_WORDS.has(before.slice(before.lastIndexOf(' ') + 1).toLowerCase());
    const word = match[0].toLowerCase().replace('è', 'e').replace('ü', 'u');
    if (opensClause) places.add(ORDINAL_PLACES[word]);
  }
  return unbroken(places);
}

const unbroken = (positions: Set<number>) => {
  let n = 0;
  while (positions.has(n + 1)) n++;
  return n;
};

const SENTENCE_ENDS = ['.', '!', '\n'];

/**
 * Distinct sentences ending in "?", each from the last ".", "!", newline or "?" before it. Native
 * searches that only move forward: a regex here backtracks quadratically, and a loop over every
 * character costs more than the rest of the scoring of a long message.
 */
function distinctQuestions(body: string): number {
  let end = body.indexOf('?');
  if (end === -1) return 0;
  const seen = new Set<string>();
  const next = SENTENCE_ENDS.map((c) => body.indexOf(c));
  let start = 0;
  for (; end !== -1; end = body.indexOf('?', end + 1)) {
    for (let k = 0; k < next.length; k++) {
      while (next[k] !== -1 && next[k] < end) {
        start = Math.max(start, next[k] + 1);
        next[k] = body.indexOf(SENTENCE_ENDS[k], next[k] + 1);
      }
    }
    const question = body.slice(start, end).trim().toLowerCase();
    if (question) seen.add(question);
    start = end + 1;
  }
  return seen.size;
}
