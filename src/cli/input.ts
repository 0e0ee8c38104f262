// Reading an input file (or `-`, standard input) as text and parsing it as one JSON or YAML document.
// JSON is read with JSON.parse (fast for 100,000-item Lists); YAML only when the text is not JSON.
// Problems come back as one-line messages (InputError) that callers turn into exit 2.
import { readFileSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { isScalar, parseAllDocuments, visit, type Document } from 'yaml';

import { InputError } from './errors.js';

export { InputError };

let stdinText: string | undefined;

/** Text of UTF-8 (BOM or not) or UTF-16 (with BOM) bytes; anything else is refused. */
export function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  // UTF-16 without a BOM: ASCII text has a zero byte in every other place.
  if (bytes.length >= 4 && bytes[1] === 0 && bytes[3] === 0 && bytes[0] !== 0) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes.length >= 4 && bytes[0] === 0 && bytes[2] === 0 && bytes[1] !== 0) return new TextDecoder('utf-16be').decode(bytes);
  if (!isUtf8(bytes)) throw new InputError('not text: expected UTF-8 (or UTF-16 with a byte-order mark)');
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return bytes.toString('utf8', bom);
}

/** The file's text; `-` is standard input (read once). */
export function readText(file: string): string {
  if (file === '-' && stdinText !== undefined) return stdinText;
  let bytes: Buffer;
  try {
    bytes = readFileSync(file === '-' ? 0 : file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a folder, not a file' : err.code === 'EACCES' ? 'permission denied' : err.message.split('\n')[0];
    throw new InputError(`cannot read: ${why}`);
  }
  const text = decodeText(bytes);
  if (file === '-') stdinText = text;
  return text;
}

/** One JSON or YAML document. */
export function parseDocument(text: string): unknown {
  try {
    return parseOne(text);
  } catch (e) {
    if (e instanceof RangeError) throw new InputError('nested too deeply to read (thousands of levels of lists or mappings)');
    throw e;
  }
}

function parseOne(text: string): unknown {
  const start = text.trimStart()[0];
  if (start === '{' || start === '[') {
    try {
      return JSON.parse(text);
    } catch {
      // YAML flow style ({name: x}) is not JSON: read it as YAML below.
    }
  }
  // The yaml library's own duplicate-key check is quadratic (minutes for 50,000 keys): ours is a set per mapping.
  const docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false });
  if (!Array.isArray(docs)) throw new InputError('not valid YAML or JSON: stray document markers');
  const error = docs.flatMap((d) => d.errors)[0];
  if (error) throw new InputError(`not valid YAML or JSON: ${error.message.split('\n')[0]}`);
  const nonEmpty = docs.filter((d) => d.contents !== null);
  if (nonEmpty.length > 1) throw new InputError(`holds ${nonEmpty.length} YAML documents (separated by ---); give one per file`);
  if (!nonEmpty.length) return null;
  checkUniqueKeys(nonEmpty[0], text);
  try {
    return nonEmpty[0].toJS({ maxAliasCount: 100 });
  } catch (e) {
    // Aliases expanding exponentially ("billion laughs"), or one that points nowhere.
    throw new InputError(`not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
}

function checkUniqueKeys(doc: Document, text: string): void {
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const item of map.items) {
        const key = isScalar(item.key) ? String(item.key.value) : String(item.key);
        if (seen.has(key)) {
          const at = isScalar(item.key) && item.key.range ? ` (line ${text.slice(0, item.key.range[0]).split('\n').length})` : '';
          throw new InputError(`not valid YAML: the key ${JSON.stringify(key)} appears twice in one mapping${at}`);
        }
        seen.add(key);
      }
    },
  });
}

/** readText then parseDocument. */
export function readDocument(file: string): unknown {
  return parseDocument(readText(file));
}
