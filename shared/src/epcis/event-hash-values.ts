/**
 * How the EPCIS event hash (GS1 CBV 2.0, "Event hash") writes one value into the pre-hash
 * string: CBV URNs as web vocabulary, numbers without padding, timestamps in UTC to the
 * millisecond, and EPC URNs and Digital Links as the constrained canonical Digital Link. This is
 * a port of the reference implementation (github.com/RalphTro/epcis-event-hash-generator,
 * `hash_generator.py` and `dl_normaliser.py`) quirks included, because a hash is only useful if
 * everyone gets the same one: where the reference does something odd, so does this, and the
 * comment says so. Waybill's own, strict identifier conversion is `urn.ts`; this one never
 * throws and leaves what it does not recognise alone.
 */
import { gs1CheckDigit } from '../gs1/index.js';

/** Python's `str.strip()` whitespace, which is not JavaScript's `trim()` set. */
const PY_SPACE =
  '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');

export function pyStrip(text: string): string {
  return text.replace(PY_STRIP, '');
}

/** Code point order, as Python compares strings (JavaScript's `<` compares UTF-16 units). */
export function comparePy(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // Only a surrogate against a unit above U+DFFF orders differently by code point.
      const xs = x >= 0xd800 && x <= 0xdfff;
      const ys = y >= 0xd800 && y <= 0xdfff;
      if (xs !== ys && (x >= 0xe000 || y >= 0xe000)) return xs ? 1 : -1;
      return x < y ? -1 : 1;
    }
  }
  return a.length - b.length;
}

/** Python's `repr(float)`: the shortest round-trip digits, exponent below 1e-4 and from 1e16. */
export function pyFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const sign = value < 0 ? '-' : '';
  const [mantissa = '', exponentText = '0'] = Math.abs(value).toExponential().split('e');
  const exponent = Number(exponentText);
  const digits = mantissa.replace('.', '');
  if (exponent < -4 || exponent >= 16) {
    const e = Math.abs(exponent).toString().padStart(2, '0');
    return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${e}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  return `${sign}${whole}.${digits.slice(exponent + 1) || '0'}`;
}

/**
 * Python's `str()` of a parsed JSON scalar, which is what the reference hashes: `True`, `None`,
 * and numbers as Python prints them. JSON.parse has already lost whether `1.0` was written with
 * a point; that never changes a hash, because numbers are normalised next (see
 * {@link formatNumeric}). Integers beyond 2^53 have lost digits, which Python would keep.
 */
export function pyScalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'number') {
    return Number.isInteger(value) ? BigInt(value).toString() : pyFloatRepr(value);
  }
  if (typeof value === 'bigint') return value.toString();
  // Only a non-string `type` gets here, where Python would fail comparing it; any text will do.
  return JSON.stringify(value);
}

/** Python's `float()` syntax (ASCII digits): digits may be grouped by single underscores. */
const DIGIT_PART = '[0-9](?:_?[0-9])*';
const PY_FLOAT = new RegExp(
  `^[+-]?(?:(?:(?:${DIGIT_PART})?\\.${DIGIT_PART}|${DIGIT_PART}\\.?)(?:[eE][+-]?${DIGIT_PART})?)$`,
);
const PY_SPECIAL = /^[+-]?(?:inf|infinity|nan)$/i;

/**
 * Numbers without leading `+`, padding zeros or a trailing `.0` (`_try_format_numeric`): any text
 * that Python's `float()` reads becomes `str(int)` when integral, else Python's float repr, so
 * `"007"` is `7`, `"1e3"` is `1000` and `"0.00001"` is `1e-05`. Anything else is left alone,
 * including `nan`. Infinity is left alone too: there the reference raises and drops the event.
 */
export function formatNumeric(text: string): string {
  const candidate = pyStrip(text);
  if (PY_SPECIAL.test(candidate) || !PY_FLOAT.test(candidate)) return text;
  const value = Number(candidate.replaceAll('_', ''));
  if (!Number.isFinite(value)) return text;
  return Number.isInteger(value) ? BigInt(value).toString() : pyFloatRepr(value);
}

/** CBV 1.x URN vocabulary as CBV 2.0 web vocabulary (`_try_format_web_vocabulary`). */
const WEB_VOCABULARY: readonly (readonly [string, string])[] = [
  ['urn:epcglobal:cbv:bizstep:', 'https://ref.gs1.org/cbv/BizStep-'],
  ['urn:epcglobal:cbv:disp:', 'https://ref.gs1.org/cbv/Disp-'],
  ['urn:epcglobal:cbv:btt:', 'https://ref.gs1.org/cbv/BTT-'],
  ['urn:epcglobal:cbv:sdt:', 'https://ref.gs1.org/cbv/SDT-'],
  ['urn:epcglobal:cbv:er:', 'https://ref.gs1.org/cbv/ER-'],
];

export function webVocabulary(text: string): string {
  let out = text;
  for (const [urn, web] of WEB_VOCABULARY) out = out.replaceAll(urn, web);
  return out;
}

/** Every value outside timestamps (`_canonize_value`). */
export function canonicalValue(text: string): string {
  const numeric = formatNumeric(webVocabulary(text));
  return digitalLinkOf(numeric) ?? numeric;
}

// --- Timestamps -------------------------------------------------------------------------------

/**
 * The ISO 8601 shapes dateutil reads that EPCIS may carry: extended date, optional time (hour;
 * hour and minute, possibly with a decimal fraction of a minute; or with seconds and a fraction
 * after `.` or `,`), optional offset (`Z`, `+hh:mm`, `+hhmm`, `+hh`), which needs a time.
 */
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2})(?::(\d{2})(?:\.(\d+)|:(\d{2})(?:[.,](\d+))?)?)? ?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?)?$/;

function twoDigits(n: number): string {
  return n.toString().padStart(2, '0');
}

/**
 * A timestamp in UTC to the millisecond with `Z` (`_fix_time_stamp_format`). As in the
 * reference (dateutil), fractions are cut to microseconds and then rounded to milliseconds half
 * to even, so `.1415` gives `.142` but `.0025` gives `.002`. Where rounding reaches the next
 * second the reference raises and drops the event; this carries into the next second. A
 * timestamp without offset is read as UTC (the reference uses the machine's zone). Text that is
 * not an ISO 8601 date-time comes back unchanged; dateutil would read a few more spellings.
 */
export function utcTimestamp(text: string): string {
  const m = TIMESTAMP.exec(text);
  if (m === null) return text;
  const [, year, month, day, hour = '0', minute = '0', minuteFraction, second = '0'] = m;
  const [fraction = '', , sign, offsetHours = '0', offsetMinutes = '0'] = m.slice(8);
  const [y = 0, mo = 0, d = 0, h = 0, mi = 0] = [year, month, day, hour, minute].map(Number);
  // dateutil reads `10:15.5` as 10:15:30: whole seconds of the (decimal) fraction of a minute.
  const s =
    minuteFraction === undefined
      ? Number(second)
      : Number((60n * BigInt(minuteFraction)) / 10n ** BigInt(minuteFraction.length));
  const oh = Number(offsetHours);
  const om = Number(offsetMinutes);
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  // A date that JavaScript would roll over (February 30) is one dateutil refuses.
  if (y < 1 || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return text;
  if (h > 23 || mi > 59 || s > 59 || oh > 23 || om > 59) return text;
  const micros = Number(fraction.padEnd(6, '0').slice(0, 6));
  const floor = Math.floor(micros / 1000);
  const rest = micros % 1000;
  const millis = rest > 500 || (rest === 500 && floor % 2 === 1) ? floor + 1 : floor;
  const offset = (sign === '-' ? -1 : 1) * (oh * 60 + om);
  date.setUTCHours(h, mi - offset, s, millis);
  const outYear = date.getUTCFullYear().toString().padStart(4, '0');
  return (
    `${outYear}-${twoDigits(date.getUTCMonth() + 1)}-${twoDigits(date.getUTCDate())}` +
    `T${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())}:` +
    `${twoDigits(date.getUTCSeconds())}.${date.getUTCMilliseconds().toString().padStart(3, '0')}Z`
  );
}

// --- EPC URNs and Digital Links (`dl_normaliser.py`) ------------------------------------------

/** One character of a TDS URN component: set 82 raw, or a %-escape of a set 82 character. */
const ESC =
  "(?:%2[125-9A-Fa-f]|%3[0-9A-Fa-f]|%4[1-9A-Fa-f]|%5[0-9AaFf]|%6[1-9A-Fa-f]|%7[0-9Aa]|[!')(*+,.0-9:;=A-Za-z_-])";
/** One character of a CPI component. */
const CPI_CHAR = '(?:%2[3dfDF]|%3[0-9]|%4[1-9A-Fa-f]|%5[0-9Aa]|[0-9A-Z-])';

/**
 * The reference's company prefix alternation: a 6- to 12-digit prefix, a dot and the rest of
 * `total` digits. With a 12-digit prefix the reference writes its own alternative (`\d{12}\.` or,
 * for GRAI, GDTI and SGCN patterns, `\d{12}\.\.`).
 */
function prefixed(total: number, twelve = `\\d{12}\\.\\d{${total - 12}}`): string {
  const alternatives: string[] = [];
  for (let cp = 6; cp <= 11; cp++) alternatives.push(`\\d{${cp}}\\.\\d{${total - cp}}`);
  alternatives.push(twelve);
  return `(?:${alternatives.join('|')})`;
}

/** `\d{cp}\.` followed by 1 to 30 - cp characters, for cp = 6 to 12 (GIAI, GINC, CPI). */
function prefixedText(char: string): string {
  const alternatives: string[] = [];
  for (let cp = 6; cp <= 12; cp++) alternatives.push(`\\d{${cp}}\\.${char}{1,${30 - cp}}`);
  return `(?:${alternatives.join('|')})`;
}

const re = (source: string): RegExp => new RegExp(source);

const URN = {
  sgtin: re(`^urn:epc:id:sgtin:${prefixed(13)}\\.${ESC}{1,20}$`),
  sscc: re(`^urn:epc:id:sscc:${prefixed(17)}$`),
  sgln: re(`^urn:epc:id:sgln:${prefixed(12, '\\d{12}\\.')}\\.${ESC}{1,20}$`),
  grai: re(`^urn:epc:id:grai:${prefixed(12, '\\d{12}\\.\\.')}\\.${ESC}{1,16}$`),
  giai: re(`^urn:epc:id:giai:${prefixedText(ESC)}$`),
  gsrn: re(`^urn:epc:id:gsrn:${prefixed(17)}$`),
  gsrnp: re(`^urn:epc:id:gsrnp:${prefixed(17)}$`),
  // No dot between document type and serial: the serial's first character may be anything.
  gdti: re(`^urn:epc:id:gdti:${prefixed(12, '\\d{12}\\.\\.')}${ESC}{1,20}$`),
  cpi: re(`^urn:epc:id:cpi:${prefixedText(CPI_CHAR)}\\.\\d{1,12}$`),
  sgcn: re(`^urn:epc:id:sgcn:${prefixed(12, '\\d{12}\\.')}\\.\\d{1,12}$`),
  ginc: re(`^urn:epc:id:ginc:${prefixedText(ESC)}$`),
  gsin: re(`^urn:epc:id:gsin:${prefixed(16)}$`),
  itip: re(`^urn:epc:id:itip:${prefixed(13)}\\.\\d{2}\\.\\d{2}\\.${ESC}{1,20}$`),
  upui: re(`^urn:epc:id:upui:${prefixed(13)}\\.${ESC}{1,28}$`),
  pgln: re(`^urn:epc:id:pgln:${prefixed(12, '\\d{12}\\.')}$`),
  lgtin: re(`^urn:epc:class:lgtin:${prefixed(13)}\\.${ESC}{1,20}$`),
  sgtinPattern: re(`^urn:epc:idpat:sgtin:${prefixed(13)}\\.\\*$`),
  graiPattern: re(`^urn:epc:idpat:grai:${prefixed(12, '\\d{12}\\.\\.')}\\.\\*$`),
  gdtiPattern: re(`^urn:epc:idpat:gdti:${prefixed(12, '\\d{12}\\.\\.')}\\.\\*$`),
  sgcnPattern: re(`^urn:epc:idpat:sgcn:${prefixed(12, '\\d{12}\\.\\.')}\\.\\*$`),
  cpiPattern: re(`^urn:epc:idpat:cpi:${prefixedText(CPI_CHAR)}\\.\\*$`),
  itipPattern: re(`^urn:epc:idpat:itip:${prefixed(13)}\\.\\d{2}\\.\\d{2}\\.\\*$`),
  upuiPattern: re(`^urn:epc:idpat:upui:${prefixed(13)}\\.\\*$`),
} as const;

const DL = 'https://id.gs1.org';

/** The few characters the reference escapes in a Digital Link value; URN escapes pass through. */
function webEscape(value: string): string {
  return value
    .replaceAll('!', '%21')
    .replaceAll('(', '%28')
    .replaceAll(')', '%29')
    .replaceAll('*', '%2A')
    .replaceAll('+', '%2B')
    .replaceAll(',', '%2C')
    .replaceAll(':', '%3A');
}

function withCheck(digits: string): string {
  return digits + gs1CheckDigit(digits).toString();
}

/**
 * The reference slices URNs at fixed offsets (`uri[17:partition]`); so does this, so that inputs
 * the patterns let through in unusual shapes come out as the reference makes them.
 */
function gtinOf(uri: string, start: number, partition: number): string {
  const cp = uri.slice(start, partition);
  const ref = uri.slice(partition + 1, partition + 1 + (13 - cp.length));
  return withCheck(ref.slice(0, 1) + cp + ref.slice(1));
}

function twelveOf(uri: string, start: number, partition: number): string {
  const cp = uri.slice(start, partition);
  return cp + uri.slice(partition + 1, partition + 1 + (12 - cp.length));
}

function urnToLink(uri: string, partition: number): string | undefined {
  if (URN.sgtin.test(uri)) {
    return `${DL}/01/${gtinOf(uri, 17, partition)}/21/${webEscape(uri.slice(32))}`;
  }
  if (URN.sscc.test(uri)) {
    const cp = uri.slice(16, partition);
    const raw = uri.slice(partition + 1, partition + 2) + cp + uri.slice(partition + 2);
    return `${DL}/00/${withCheck(raw)}`;
  }
  if (URN.sgln.test(uri)) {
    const gln = withCheck(twelveOf(uri, 16, partition));
    const extension = uri.slice(30);
    return extension === '0' ? `${DL}/414/${gln}` : `${DL}/414/${gln}/254/${webEscape(extension)}`;
  }
  if (URN.grai.test(uri)) {
    const grai = withCheck(`0${twelveOf(uri, 16, partition)}`);
    return `${DL}/8003/${grai}${webEscape(uri.slice(30))}`;
  }
  if (URN.giai.test(uri)) {
    return `${DL}/8004/${uri.slice(16, partition)}${webEscape(uri.slice(partition + 1))}`;
  }
  if (URN.gsrn.test(uri)) {
    return `${DL}/8018/${withCheck(uri.slice(16, partition) + uri.slice(partition + 1))}`;
  }
  if (URN.gsrnp.test(uri)) {
    return `${DL}/8017/${withCheck(uri.slice(17, partition) + uri.slice(partition + 1))}`;
  }
  if (URN.gdti.test(uri)) {
    return `${DL}/253/${withCheck(twelveOf(uri, 16, partition))}${webEscape(uri.slice(30))}`;
  }
  if (URN.cpi.test(uri)) {
    const separator = uri.lastIndexOf('.');
    const cpi = uri.slice(15, partition) + uri.slice(partition + 1, separator);
    return `${DL}/8010/${webEscape(cpi)}/8011/${uri.slice(separator + 1)}`;
  }
  if (URN.sgcn.test(uri)) {
    return `${DL}/255/${withCheck(twelveOf(uri, 16, partition))}${uri.slice(30)}`;
  }
  if (URN.ginc.test(uri)) {
    return `${DL}/401/${uri.slice(16, partition)}${webEscape(uri.slice(partition + 1))}`;
  }
  if (URN.gsin.test(uri)) {
    return `${DL}/402/${withCheck(uri.slice(16, partition) + uri.slice(partition + 1))}`;
  }
  if (URN.itip.test(uri)) {
    const piece = uri.slice(31, 33);
    const total = uri.slice(34, 36);
    return `${DL}/8006/${gtinOf(uri, 16, partition)}${piece}${total}/21/${webEscape(uri.slice(37))}`;
  }
  if (URN.upui.test(uri)) {
    return `${DL}/01/${gtinOf(uri, 16, partition)}/235/${webEscape(uri.slice(31))}`;
  }
  if (URN.pgln.test(uri)) return `${DL}/417/${withCheck(twelveOf(uri, 16, partition))}`;
  if (URN.lgtin.test(uri)) {
    return `${DL}/01/${gtinOf(uri, 20, partition)}/10/${webEscape(uri.slice(35))}`;
  }
  if (URN.sgtinPattern.test(uri)) return `${DL}/01/${gtinOf(uri, 20, partition)}`;
  if (URN.graiPattern.test(uri)) {
    return `${DL}/8003/${withCheck(`0${twelveOf(uri, 19, partition)}`)}`;
  }
  if (URN.gdtiPattern.test(uri)) return `${DL}/253/${withCheck(twelveOf(uri, 19, partition))}`;
  if (URN.sgcnPattern.test(uri)) return `${DL}/255/${withCheck(twelveOf(uri, 19, partition))}`;
  if (URN.cpiPattern.test(uri)) {
    const separator = uri.lastIndexOf('.');
    return `${DL}/8010/${webEscape(uri.slice(18, partition) + uri.slice(partition + 1, separator))}`;
  }
  if (URN.itipPattern.test(uri)) {
    const piece = uri.slice(34, 36);
    const total = uri.slice(37, 39);
    return `${DL}/8006/${gtinOf(uri, 19, partition)}${piece}${total}`;
  }
  if (URN.upuiPattern.test(uri)) return `${DL}/01/${gtinOf(uri, 19, partition)}`;
  return undefined;
}

/** Python's `.` in the reference's patterns: anything but a newline (JavaScript's excludes more). */
const HOST = 'https:\\/\\/id[^\\n]gs1[^\\n]org';
const KEYS =
  '01|gtin|8006|itip|8010|cpid|414|gln|417|party|8017|gsrnp|8018|gsrn|255|gcn|00|sscc|253|gdti|401|ginc|402|gsin|8003|grai|8004|giai';
const LOOKS_LIKE_LINK = re(
  `^https?:(\\/\\/((([^\\/?#]*)@)?([^\\/?#:]*)(:([^\\/?#]*))?))?((([^?#]*)(\\/(${KEYS})\\/)(\\d{4}[^\\/]+)(\\/[^/]+\\/[^/]+)?[/]?(\\?([^?\\n]*))?(#([^\\n]*))?)|(\\/[A-Za-z_-]{10}$))`,
);
const ON_CANONICAL_HOST = re(
  `^(?:${HOST}\\/(01|8006|8010|414|417|8017|8018|255|00|253|401|402|8003|8004)\\/(\\d{4}[^\\/]+)(\\/[^\\/]+\\/[^\\/]+)?[\\/]?(\\?([^?\\n]*))?(#([^\\n]*))?|(\\/[A-Za-z_-]{10}$))`,
);
const SHORT_NAMES: readonly (readonly [string, string])[] = [
  ['/gtin/', '/01/'],
  ['/itip/', '/8006/'],
  ['/cpid/', '/8010/'],
  ['/gln/', '/414/'],
  ['/party/', '/417/'],
  ['/gsrnp/', '/8017/'],
  ['/gsrn/', '/8018/'],
  ['/gcn/', '/255/'],
  ['/sscc/', '/00/'],
  ['/gdti/', '/253/'],
  ['/ginc/', '/401/'],
  ['/gsin/', '/402/'],
  ['/grai/', '/8003/'],
  ['/giai/', '/8004/'],
  ['/cpv/', '/22/'],
  ['/lot/', '/10/'],
  ['/ser/', '/21/'],
];
/** Searched in this order, not by position: the first AI in this list found anywhere wins. */
const HOST_SWAP_ORDER = [
  '/00/',
  '/01/',
  '/253/',
  '/255/',
  '/401/',
  '/402/',
  '/414/',
  '/417/',
  '/8003/',
  '/8004/',
  '/8006/',
  '/8010/',
  '/8017/',
  '/8018/',
];

/** The characters the reference accepts in serials, lots and the like: no `%`, no `/`. */
const X = '[\\x22\\x27\\x2D\\x2E\\x30-\\x39\\x3B-\\x3F\\x41-\\x5A\\x5F\\x61-\\x7A]';
const XS = '[\\x2F\\x22\\x27\\x2D\\x2E\\x30-\\x39\\x3B-\\x3F\\x41-\\x5A\\x5F\\x61-\\x7A]';
const CPV_LAST = [
  re(`^${HOST}\\/8006\\/\\d{18}\\/22\\/(${X}{0,20})$`),
  re(`^${HOST}\\/01\\/\\d{14}\\/22\\/(${X}{0,20})$`),
];
const CPV_BEFORE = [
  re(`^${HOST}\\/8006\\/\\d{18}\\/22\\/(${XS}{0,20})$`),
  re(`^${HOST}\\/01\\/\\d{14}\\/22\\/(${XS}{0,20})$`),
];
const LOT_AND_SERIAL = [
  re(`^${HOST}\\/8006\\/\\d{18}\\/10\\/(${X}{0,20})\\/21\\/(${X}{0,20})$`),
  re(`^${HOST}\\/01\\/(\\d{14})\\/10\\/(${X}{0,20})\\/21\\/(${X}{0,20})$`),
];
const CONSTRAINED = [
  `00\\/(\\d{18})`,
  `01\\/(\\d{14})\\/21\\/(${X}{0,20})`,
  `01\\/(\\d{14})\\/10\\/(${X}{0,20})`,
  `01\\/(\\d{14})`,
  `01\\/(\\d{14})\\/235\\/(${X}{0,28})`,
  `253\\/(\\d{13})(${X}{0,17})`,
  `255\\/(\\d{13})(\\d{0,12})`,
  `401\\/(${X}{0,30})`,
  `402\\/(\\d{17})`,
  `414\\/(\\d{13})`,
  `414\\/(\\d{13})\\/254\\/(${X}{0,20})`,
  `417\\/(\\d{13})`,
  `8003\\/(\\d{14})(${X}{0,16})`,
  `8004\\/(${X}{0,30})`,
  `8006\\/(\\d{18})\\/21\\/(${X}{0,20})`,
  `8006\\/(\\d{18})\\/10\\/(${X}{0,20})`,
  `8006\\/(\\d{18})`,
  `8010\\/([\\x23\\x2D\\x2F\\x30-\\x39\\x41-\\x5A]{0,30})\\/8011/(\\d{0,12})`,
  `8010\\/([\\x23\\x2D\\x2F\\x30-\\x39\\x41-\\x5A]{0,30})`,
  `8017\\/(\\d{18})`,
  `8018\\/(\\d{18})`,
].map((tail) => re(`^${HOST}\\/${tail}$`));

function linkToLink(input: string): string | undefined {
  if (!LOOKS_LIKE_LINK.test(input)) return undefined;
  let uri = input;
  const query = uri.indexOf('?');
  if (query >= 0) uri = uri.slice(0, query);
  for (const [name, ai] of SHORT_NAMES) uri = uri.replaceAll(name, ai);
  if (!ON_CANONICAL_HOST.test(uri)) {
    for (const ai of HOST_SWAP_ORDER) {
      const at = uri.indexOf(ai);
      if (at >= 0) {
        uri = DL + uri.slice(at);
        break;
      }
    }
  }
  // GTIN-8, -12 and -13 as GTIN-14; like the reference, every "/01/" in the URI gets the zeros.
  if (!re(`^${HOST}\\/01\\/\\d{14}`).test(uri)) {
    if (re(`^${HOST}\\/01\\/\\d{13}`).test(uri)) uri = uri.replaceAll('/01/', '/01/0');
    else if (re(`^${HOST}\\/01\\/\\d{12}`).test(uri)) uri = uri.replaceAll('/01/', '/01/00');
    else if (re(`^${HOST}\\/01\\/\\d{8}`).test(uri)) uri = uri.replaceAll('/01/', '/01/000000');
  }
  // The CPV is dropped; `afterCpv` is taken once, before either rule, as in the reference.
  const afterCpv = uri.slice(uri.indexOf('/22/') + 4);
  if (CPV_LAST.some((p) => p.test(uri))) {
    const slash = afterCpv.indexOf('/');
    uri = uri.slice(0, uri.indexOf('/22/')) + afterCpv.slice(slash, -1);
  }
  if (CPV_BEFORE.some((p) => p.test(uri))) {
    uri = uri.slice(0, uri.indexOf('/22/')) + pySliceFrom(afterCpv, afterCpv.indexOf('/'));
  }
  // With a serial, the lot goes: the identity is the finest level.
  if (LOT_AND_SERIAL.some((p) => p.test(uri))) {
    const afterLot = uri.slice(uri.indexOf('/10/') + 4);
    uri = uri.slice(0, uri.indexOf('/10/')) + pySliceFrom(afterLot, afterLot.indexOf('/'));
  }
  return CONSTRAINED.some((p) => p.test(uri)) ? uri : undefined;
}

/** Python's `s[i:]`, where -1 (from a failed `find`) means the last character. */
function pySliceFrom(text: string, index: number): string {
  return index < 0 ? text.slice(text.length + index) : text.slice(index);
}

/**
 * The constrained canonical Digital Link of an EPC URN, EPC class or pattern URN, or Digital Link
 * (`normaliser`), or undefined when the reference finds none: CPV and query dropped, an item's lot
 * dropped, the host made id.gs1.org, GTINs padded to 14 digits. Serials keep their URN escapes.
 */
export function digitalLinkOf(text: string): string | undefined {
  const partition = text.indexOf('.');
  if (partition < 0) return undefined;
  return urnToLink(text, partition) ?? linkToLink(text);
}
