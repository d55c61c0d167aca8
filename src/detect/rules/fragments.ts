/**
 * Regex fragments shared by rule files. Rules stay data (each file exports plain `Rule`
 * objects); these only keep the recurring shapes — a URL, a query parameter, a word
 * boundary for tokens — written once.
 */

/** A literal matched without regard to ASCII case, without the `i` flag (which would loosen the whole rule). */
export function anyCase(literal: string): string {
  return [...literal]
    .map((ch) => {
      const lo = ch.toLowerCase();
      const up = ch.toUpperCase();
      if (lo !== up) return `[${up}${lo}]`;
      return ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    })
    .join('');
}

export const PARAM_NAME = String.raw`[A-Za-z][A-Za-z0-9_.-]*`;
/** A comma, unless it starts the next link of a list written on one line (`SRC,https://DST`). */
export const NOT_NEXT_LINK = String.raw`,(?![A-Za-z][A-Za-z0-9+.-]*://)`;
/** A query value stops at whitespace, quotes, markup and the delimiters of the text around a link (and before the next link). */
const VALUE_CHARS = String.raw`[^\s&"'<>;\\\x60|()\[\]^{},]*`;
export const PARAM_VALUE = `${VALUE_CHARS}(?:${NOT_NEXT_LINK}${VALUE_CHARS})*`;
export const PARAM = `${PARAM_NAME}=${PARAM_VALUE}`;
const URL_CHARS = String.raw`[^\s?#"'<>\x60\\|()\[\]{},]*`;
/** scheme://host/path up to the `?`; captured as `url`. */
export const URL_BEFORE_QUERY = String.raw`(?<url>[A-Za-z][A-Za-z0-9+.-]*://${URL_CHARS}(?:${NOT_NEXT_LINK}${URL_CHARS})*)\?`;

/**
 * A signed link: an optional URL, then a run of `name=value` parameters joined by `&` that
 * contains the given parameter. Captures `url` and `query`.
 */
export function signedLink(requiredParam: string): string {
  return String.raw`(?:${URL_BEFORE_QUERY}|\?)?(?<query>(?:${PARAM}&)*${requiredParam}=${PARAM_VALUE}(?:&${PARAM})*)`;
}

/** What no link, query value or connection-string field above holds: whitespace, quotes, markup, backslashes (Rule.stops). */
export const LINK_STOPS = ' \t\n\v\f\r"\'<>`\\';

/** Not preceded by a character that could continue a token. */
export const TOKEN_START = String.raw`(?<![A-Za-z0-9_+/=-])`;
/** Not followed by a character that could continue a token. */
export const TOKEN_END = String.raw`(?![A-Za-z0-9_+/=-])`;

const QUOTE = String.raw`["'\x60]`;
/**
 * A value named by what precedes it, in the forms real code and configuration write:
 * `NAME = "value"`, `NAME: value`, `name="value"` (keyword argument), `--name value`,
 * `"name" => "value"`; Go and Make `:=`, `::=`, `?=`, PHP `.=`, Ruby `||=`; a typed
 * declaration (`var name string = "value"`, `val name: String = "value"`); an XML element
 * (`<name>value</name>`, the value on its own line too); a two-argument call
 * (`setProperty("NAME", "value")`); backquoted (Go raw) strings.
 */
export const ASSIGN =
  String.raw`(?:${QUOTE}?\s*(?::{1,3}=|[?.+]=|\|\|=|=>|[:=>]|\s)\s*${QUOTE}?` +
  String.raw`|\s*:?\s+(?:string|String|str)\s*=\s*${QUOTE}?` +
  String.raw`|["']\s*,\s*["'])`;
/** A lower-case UUID (legacy keys of several vendors). */
export const UUID = String.raw`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`;
