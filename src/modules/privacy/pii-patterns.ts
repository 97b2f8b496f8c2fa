/** The kinds of personal data that redact() replaces, each with its own placeholder. */
export const PII_KINDS = ['EMAIL', 'IBAN', 'NATIONAL_ID', 'CARD', 'IP', 'PHONE', 'ADDRESS'] as const;
export type PiiKind = (typeof PII_KINDS)[number];

/**
 * One way personal data can look. `accept` sees a regex match and returns the part of it to replace
 * (a prefix, so a trailing word the regex swallowed can be kept) or null when it is not personal data.
 */
export interface PiiPattern {
  kind: PiiKind;
  regex: RegExp;
  accept?: (match: string, offset: number, text: string) => string | null;
}

// JavaScript's \b only knows ASCII, so boundaries are spelled out with Unicode classes.
const NOT_AFTER_WORD = String.raw`(?<![\p{L}\p{N}_])`;
const NOT_BEFORE_WORD = String.raw`(?![\p{L}\p{N}_])`;

function digitsOf(s: string): string {
  return s.replace(/\D/g, '');
}

/**
 * Tries the whole match, then drops trailing separator-delimited groups one by one: the regex is
 * greedy and may have swallowed a following word or number that belongs to the sentence.
 */
function longestValidPrefix(match: string, isValid: (candidate: string) => boolean): string | null {
  const groups = match.split(/(?=[ -])/);
  for (let n = groups.length; n >= 1; n--) {
    const candidate = groups.slice(0, n).join('');
    if (isValid(candidate)) return candidate;
  }
  return null;
}

// ---------- checksums ----------

/** The Luhn check every payment card number passes; it separates cards from other long numbers. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

// Official IBAN lengths (SWIFT registry); a checksum-valid string of the wrong length is not an IBAN.
const IBAN_LENGTHS: Record<string, number> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, BY: 28, CH: 21,
  CR: 22, CY: 28, CZ: 24, DE: 22, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FO: 18, FR: 27,
  GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26,
  IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, MC: 27, MD: 24,
  ME: 22, MK: 19, MR: 27, MT: 31, MU: 30, NL: 18, NO: 15, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29,
  RO: 24, RS: 22, SA: 24, SC: 31, SE: 24, SI: 19, SK: 24, SM: 27, ST: 25, SV: 28, TL: 23, TN: 24,
  TR: 26, UA: 29, VA: 22, VG: 24, XK: 20,
};

/** ISO 13616: the country's length and a mod-97 remainder of 1; spaces, dashes and case are ignored. */
export function ibanValid(raw: string): boolean {
  const iban = raw.replace(/[ -]/g, '').toUpperCase();
  if (IBAN_LENGTHS[iban.slice(0, 2)] !== iban.length) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const value = ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';

/** Spanish DNI (8 digits) or NIE (X/Y/Z + 7 digits), each with its mod-23 check letter. */
export function spanishIdValid(raw: string): boolean {
  const id = raw.replace(/[ -]/g, '').toUpperCase();
  const number = id.slice(0, -1).replace(/^[XYZ]/, (c) => String('XYZ'.indexOf(c)));
  return /^\d{8}$/.test(number) && DNI_LETTERS[Number(number) % 23] === id.slice(-1);
}

/** Brazilian CPF: two mod-11 check digits; all-same-digit strings pass the maths but are invalid. */
export function cpfValid(raw: string): boolean {
  const d = digitsOf(raw);
  if (d.length !== 11 || /^(\d)\1{10}$/.test(d)) return false;
  const check = (len: number): number => {
    let sum = 0;
    for (let i = 0; i < len; i++) sum += Number(d[i]) * (len + 1 - i);
    const r = (sum * 10) % 11;
    return r === 10 ? 0 : r;
  };
  return check(9) === Number(d[9]) && check(10) === Number(d[10]);
}

/** French INSEE number (NIR): 13 characters and a key of 97 - (number mod 97); Corsica uses 2A/2B. */
export function nirValid(raw: string): boolean {
  const s = raw.replace(/ /g, '').toUpperCase();
  const body = s.slice(0, 13).replace('2A', '19').replace('2B', '18');
  if (!/^\d{13}$/.test(body)) return false;
  return 97 - Number(BigInt(body) % 97n) === Number(s.slice(13));
}

/**
 * German Steuer-ID: 11 digits, no leading zero, in the first ten exactly one digit repeats (2 or 3
 * times), and an ISO 7064 MOD 11,10 check digit.
 */
export function steuerIdValid(raw: string): boolean {
  const d = digitsOf(raw);
  if (!/^[1-9]\d{10}$/.test(d)) return false;
  const counts = new Map<string, number>();
  for (const c of d.slice(0, 10)) counts.set(c, (counts.get(c) ?? 0) + 1);
  const repeated = [...counts.values()].filter((n) => n > 1);
  if (repeated.length !== 1 || repeated[0] > 3) return false;
  let product = 10;
  for (const c of d.slice(0, 10)) {
    let sum = (Number(c) + product) % 10;
    if (sum === 0) sum = 10;
    product = (sum * 2) % 11;
  }
  const check = (11 - product) % 10;
  return check === Number(d[10]);
}

const CF_ODD: Record<string, number> = Object.fromEntries(
  [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23].map((v, i) => [String.fromCharCode(65 + i), v]),
);

/**
 * Italian codice fiscale: 16 characters whose last is a check letter computed from the first 15
 * (odd positions through a table, even ones by their value), digits possibly replaced by letters.
 */
export function codiceFiscaleValid(raw: string): boolean {
  const cf = raw.toUpperCase();
  if (cf.length !== 16) return false;
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const c = cf[i];
    // A digit counts as the letter of the same rank (0 = A) in both tables.
    const letter = c >= '0' && c <= '9' ? String.fromCharCode(65 + Number(c)) : c;
    sum += i % 2 === 0 ? CF_ODD[letter] : letter.charCodeAt(0) - 65;
  }
  return String.fromCharCode(65 + (sum % 26)) === cf[15];
}

// ---------- ids named in the sentence ----------

// Words that announce an identity document or tax number in the five AI languages (and a few more).
// "nie" is left out: it is German for "never"; the Spanish NIE has its own checksummed pattern.
const ID_WORDS = new RegExp(
  String.raw`(?<!\p{L})(?:ssn|social security|national insurance|ni number|nino|passport|pasaporte|passaporte|passeport|` +
    String.raw`reisepass|personalausweis|ausweis(?:nummer)?|id card|identity card|identity number|id number|national id|` +
    String.raw`carte d'identit[ée]|carte nationale|s[ée]curit[ée] sociale|dni|nif|nipc|niss|contribuinte|cart[ãa]o de cidad[ãa]o|` +
    String.raw`citizen card|codice fiscale|carta d'identit[àa]|steuer-?id|steuernummer|steueridentifikationsnummer|tax id|` +
    String.raw`tax number|taxpayer|bsn|burgerservicenummer|cpf|curp|rfc|pesel|personnummer|` +
    String.raw`driv(?:er'?s|ing) licen[cs]e|licen[cs]e number|permis de conduire|f[üu]hrerschein|carnet de conducir|carta de condu[çc][ãa]o)` +
    // A comma or the like between the word and the number starts another clause: "my passport expired, order 12345".
    String.raw`[^\d\n,;!?]{0,25}$`,
  'iu',
);

/**
 * An id-shaped token (at least five digits, possibly with letters, or digit groups) right after a word
 * that names an id: the many national formats without a checksum of their own (a 9-digit SSN, a
 * Portuguese NIF, a German ID card number, a passport) are only recognisable by what precedes them.
 */
function acceptNamedId(match: string, offset: number, text: string): string | null {
  if (digitsOf(match).length < 5) return null;
  return ID_WORDS.test(text.slice(Math.max(0, offset - 60), offset)) ? match : null;
}

// ---------- phone heuristics ----------

const PHONE_WORDS =
  /(?:phone|tel|telephone|mobile|cell|call|whats ?app|sms|text|tel[eé]fono|m[oó]vil|t[eé]l[eé]phone|portable|telefon|handy|rufnummer|telefone|celular|telem[oó]vel)[^\d\n]{0,20}$/i;

/**
 * Decides whether a run of digits and separators is a phone number rather than an order number,
 * amount or id. International numbers (+ or 00) are trusted; national ones need separators or a
 * trunk zero, and fewer digits are accepted only right after a word like "phone".
 */
function acceptPhone(match: string, offset: number, text: string): string | null {
  const digits = digitsOf(match);
  const international = match.startsWith('+') || match.startsWith('00');
  if (international) {
    const subscriber = match.startsWith('00') ? digits.length - 2 : digits.length;
    return subscriber >= 8 && subscriber <= 15 ? match : null;
  }
  const spokenOf = PHONE_WORDS.test(text.slice(Math.max(0, offset - 40), offset));
  if (digits.length < (spokenOf ? 7 : 9) || digits.length > 12) return null;
  const compact = /^\d+$/.test(match);
  if (compact && !spokenOf && !(digits.startsWith('0') && digits.length >= 10)) return null;
  // "1.299.000" style thousands groups are amounts.
  if (/^\d{1,3}(?:\.\d{3})+$/.test(match)) return null;
  return match;
}

// ---------- the patterns, in the order they run ----------

const ADDRESS_NAME = String.raw`\p{Lu}[\p{L}'’.-]*`;
const ROMANCE_LINK = String.raw`(?:de|del|de la|de las|de los|la|las|los|el|da|do|das|dos|du|des|de l'|d')`;
const STREET_NAME = String.raw`(?:${ROMANCE_LINK}\s+)?${ADDRESS_NAME}(?:\s+(?:${ROMANCE_LINK}\s+)?${ADDRESS_NAME}){0,3}`;
const HOUSE_NUMBER = String.raw`(?:n[º°o]\.?\s*)?\d{1,5}[a-zA-Z]?` + NOT_BEFORE_WORD;

/**
 * Patterns run in this order and each replaces what it accepts before the next one looks, so the
 * most specific, checksummed kinds go first: a card must be gone before the phone pattern could
 * take half of it, and a date or amount is never long or shaped enough to be accepted later.
 */
export const PII_PATTERNS: readonly PiiPattern[] = [
  {
    kind: 'EMAIL',
    // The lookbehind makes each run of name characters start one attempt, not one per character.
    regex: /(?<![\p{L}\p{N}._%+'-])[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu,
  },
  {
    kind: 'IBAN',
    // Either compact or grouped with separators; mixing optional separators would backtrack badly.
    regex: new RegExp(NOT_AFTER_WORD + String.raw`[A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?:[ -][A-Z0-9]{1,4}){3,8})` + NOT_BEFORE_WORD, 'giu'),
    accept: (m) => longestValidPrefix(m, ibanValid),
  },
  {
    kind: 'NATIONAL_ID',
    // US SSN: the SSA never issues area 000, 666 or 9xx, group 00 or serial 0000.
    regex: new RegExp(NOT_AFTER_WORD + String.raw`(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}` + NOT_BEFORE_WORD, 'gu'),
  },
  {
    kind: 'NATIONAL_ID',
    regex: new RegExp(NOT_AFTER_WORD + String.raw`(?:\d{8}|[XYZ][ -]?\d{7})[ -]?[A-Z]` + NOT_BEFORE_WORD, 'giu'),
    accept: (m) => (spanishIdValid(m) ? m : null),
  },
  {
    kind: 'NATIONAL_ID',
    regex: new RegExp(NOT_AFTER_WORD + String.raw`\d{3}\.?\d{3}\.?\d{3}-?\d{2}` + NOT_BEFORE_WORD, 'gu'),
    accept: (m) => (cpfValid(m) || steuerIdValid(m) ? m : null),
  },
  {
    kind: 'NATIONAL_ID',
    regex: new RegExp(
      NOT_AFTER_WORD + String.raw`[12] ?\d{2} ?(?:0[1-9]|1[0-2]|[2-9]\d) ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}` + NOT_BEFORE_WORD,
      'giu',
    ),
    accept: (m) => (nirValid(m) ? m : null),
  },
  {
    kind: 'NATIONAL_ID',
    // UK National Insurance number; prefixes BG, GB, NK, KN, TN, NT and ZZ are never issued.
    regex: new RegExp(
      NOT_AFTER_WORD + String.raw`(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]` + NOT_BEFORE_WORD,
      'giu',
    ),
  },
  {
    kind: 'NATIONAL_ID',
    // Italian codice fiscale; where two people would share one, digits are replaced by L M N P Q R S T U V.
    regex: new RegExp(
      NOT_AFTER_WORD + String.raw`[A-Z]{6}[\dLMNPQRSTUV]{2}[ABCDEHLMPRST][\dLMNPQRSTUV]{2}[A-Z][\dLMNPQRSTUV]{3}[A-Z]` + NOT_BEFORE_WORD,
      'giu',
    ),
    accept: (m) => (codiceFiscaleValid(m) ? m : null),
  },
  {
    kind: 'NATIONAL_ID',
    regex: new RegExp(NOT_AFTER_WORD + String.raw`(?:[A-Z]{0,3}\d[A-Z\d]{4,19}|\d{2,4}(?:[ .-]\d{2,4}){2,5})` + NOT_BEFORE_WORD, 'giu'),
    accept: acceptNamedId,
  },
  {
    kind: 'CARD',
    // No card number starts with 0 and none follows a '+': those are phone numbers.
    regex: new RegExp(String.raw`(?<![\p{L}\p{N}_+-])[1-9](?:[ -]?\d){12,18}` + NOT_BEFORE_WORD, 'gu'),
    accept: (m) => longestValidPrefix(m, (c) => digitsOf(c).length >= 13 && luhnValid(digitsOf(c))),
  },
  {
    kind: 'IP',
    regex: new RegExp(
      String.raw`(?<![\p{L}\p{N}_.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\p{L}\p{N}_]|\.\d)`,
      'gu',
    ),
  },
  {
    kind: 'PHONE',
    regex: new RegExp(
      String.raw`(?<![\p{L}\p{N}_+#@/.,:-])` +
        // Dates are never phone numbers; skipping them here lets a number right after a date match.
        String.raw`(?!\d{4}[-./]\d{1,2}[-./]\d{1,2}(?!\d)|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}(?!\d))` +
        String.raw`\+?(?:\(\d{1,5}\) ?|\d{1,4} ?\(\d{1,5}\) ?)?\d+(?:[ .-]\d+)*` +
        String.raw`(?![\p{L}\p{N}_@/:]|[.,-]\d)`,
      'gu',
    ),
    accept: acceptPhone,
  },
  {
    kind: 'ADDRESS',
    // "123 Main Street", "10 Downing St", "12 rue de Rivoli", "5, avenue des Champs-Élysées"
    regex: new RegExp(
      NOT_AFTER_WORD +
        String.raw`\d{1,5}[a-zA-Z]?(?: ?(?:bis|ter))?,?\s+` +
        String.raw`(?:(?:${ADDRESS_NAME}|\d{1,3}(?:st|nd|rd|th))\s+){1,4}` +
        String.raw`(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Square|Sq|Way|Terrace|Close|Crescent|Highway|Hwy|Parkway|Pkwy)\.?` +
        NOT_BEFORE_WORD +
        String.raw`|` +
        NOT_AFTER_WORD +
        String.raw`\d{1,5}(?: ?(?:bis|ter))?,?\s+(?:[Rr]ue|[Aa]venue|[Aa]v\.|[Bb]oulevard|[Bb]d|[Cc]hemin|[Aa]llée|[Ii]mpasse|[Qq]uai|[Cc]ours)\s+${STREET_NAME}`,
      'gu',
    ),
  },
  {
    kind: 'ADDRESS',
    // "Calle Mayor 5", "C/ Gran Vía 28", "rue de Rivoli 12", "Rua Augusta, 100"
    regex: new RegExp(
      NOT_AFTER_WORD +
        String.raw`(?:[Cc]alle|C/|[Aa]venida|[Aa]vda\.|[Pp]laza|[Pp]aseo|[Cc]amino|[Cc]arretera|[Rr]onda|[Tt]ravesía|` +
        String.raw`[Rr]ua|R\.|[Tt]ravessa|[Ll]argo|[Pp]raça|[Aa]lameda|[Ee]strada|[Rr]ue|[Bb]oulevard|[Cc]hemin|[Qq]uai)` +
        String.raw`(?:\s+|(?<=/)\s*)${STREET_NAME},?\s+${HOUSE_NUMBER}`,
      'gu',
    ),
  },
  {
    kind: 'ADDRESS',
    // "Hauptstraße 5", "Berliner Straße 12a", "Lindenweg 3", "Am Marktplatz 7"
    regex: new RegExp(
      NOT_AFTER_WORD +
        String.raw`(?:${ADDRESS_NAME}\s+(?:Straße|Strasse|Str\.|Weg|Gasse|Platz|Allee|Damm|Ufer)|\p{Lu}[\p{L}-]*(?:straße|strasse|str\.|weg|gasse|platz|allee|damm|ufer))` +
        String.raw`\s+\d{1,4}\s?[a-z]?` +
        NOT_BEFORE_WORD,
      'gu',
    ),
  },
];

/** The text that stands in for each kind; brackets keep it from matching any pattern again. */
export function placeholderFor(kind: PiiKind): string {
  return `[${kind}]`;
}
