// Compact JSON as Go's encoding/json writes it (what the API server sends): no spaces, and the
// HTML-sensitive characters <, > and & plus U+2028/U+2029 escaped as \u00XX.

const GO_ESCAPES = /[<>&\u2028\u2029]/g;

/** The compact JSON text Go would write for this value (fields in the order given). */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(GO_ESCAPES, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** UTF-8 byte length of goJson(value). */
export function goJsonBytes(value: unknown): number {
  return Buffer.byteLength(goJson(value), 'utf8');
}

/** UTF-8 byte length of a string once quoted and escaped as a JSON string. */
export function jsonStringBytes(s: string): number {
  return goJsonBytes(s);
}
