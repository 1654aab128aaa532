/**
 * Percent-encoding of GS1 Digital Link values. Encoding escapes every character outside RFC 3986's
 * unreserved set (`A-Z a-z 0-9 - . _ ~`) with uppercase hex, so a value has exactly one encoded
 * form and canonical EPCs compare as plain strings. Decoding accepts what RFC 3986 lets a URI
 * carry raw (sub-delims, `:` and `@`, plus `/` and `?` in a query) and lowercase hex, and refuses
 * anything else, naming the character and its escape.
 */
import { invalidGs1, quote } from './fail.js';

/** Percent-encodes everything outside the unreserved set, uppercase hex. */
export function percentEncode(value: string): string {
  // encodeURIComponent leaves only the unreserved set and ! ' ( ) * raw; escape those five too.
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

const PATH_RAW = /^[A-Za-z0-9\-._~!$&'()*+,;=:@]$/;
const QUERY_RAW = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/?]$/;
const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;

/**
 * Decodes one path segment or query value. `label` names the value in messages, such as
 * "serial (AI 21)". Throws INVALID_GS1 on a character a URI cannot carry raw, a malformed escape,
 * or escapes that are not UTF-8.
 */
export function percentDecode(
  raw: string,
  where: 'path' | 'query',
  label: string,
  path: string | undefined,
): string {
  const allowed = where === 'path' ? PATH_RAW : QUERY_RAW;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charAt(i);
    if (c === '%') {
      if (!HEX_PAIR.test(raw.slice(i + 1, i + 3))) {
        throw invalidGs1(
          `${label} ${quote(raw)} has a malformed escape at position ${i + 1}: % must be followed by two hex digits (a literal % is written %25)`,
          path,
        );
      }
      i += 2;
    } else if (!allowed.test(c)) {
      const hint = c.charCodeAt(0) < 0x80 ? `; write it as ${percentEncode(c)}` : '';
      throw invalidGs1(
        `${label} ${quote(raw)} contains ${quote(c)} at position ${i + 1}, which a URI cannot carry unencoded${hint}`,
        path,
      );
    }
  }
  try {
    return decodeURIComponent(raw);
  } catch {
    throw invalidGs1(`${label} ${quote(raw)} has percent-escapes that are not valid UTF-8`, path);
  }
}
