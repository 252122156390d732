/** Anything the parser accepts: raw bytes or an already decoded string. */
export type X12Input = Uint8Array | string;

/** Bytes ready for tokenizing: UTF-16 converted to UTF-8, with the offset past any byte-order mark. */
export interface NormalizedInput {
  bytes: Buffer;
  start: number;
  encoding: 'utf8' | 'utf16le' | 'utf16be';
}

/**
 * Turns any input into bytes. UTF-8 input is used in place (a BOM is skipped, not copied); UTF-16 (with or
 * without BOM, detected from the `I\0S\0` pattern) is decoded once.
 */
export function normalizeInput(input: X12Input): NormalizedInput {
  if (typeof input === 'string') {
    const s = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
    return { bytes: Buffer.from(s, 'utf8'), start: 0, encoding: 'utf8' };
  }
  const bytes = Buffer.isBuffer(input)
    ? input
    : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const utf16 = detectUtf16(bytes);
  if (utf16) {
    const skip = utf16.bom ? 2 : 0;
    const body = bytes.subarray(skip, skip + ((bytes.length - skip) & ~1));
    const text = utf16.encoding === 'utf16le' ? body.toString('utf16le') : swapToLe(body).toString('utf16le');
    return { bytes: Buffer.from(text, 'utf8'), start: 0, encoding: utf16.encoding };
  }
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return { bytes, start: bom ? 3 : 0, encoding: 'utf8' };
}

/** Recognizes UTF-16 from a BOM or from ASCII letters interleaved with zero bytes. */
export function detectUtf16(bytes: Uint8Array): { encoding: 'utf16le' | 'utf16be'; bom: boolean } | null {
  if (bytes.length < 2) return null;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf16le', bom: true };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf16be', bom: true };
  if (bytes.length >= 4) {
    if (bytes[0] !== 0 && bytes[1] === 0 && bytes[2] !== 0 && bytes[3] === 0)
      return { encoding: 'utf16le', bom: false };
    if (bytes[0] === 0 && bytes[1] !== 0 && bytes[2] === 0 && bytes[3] !== 0)
      return { encoding: 'utf16be', bom: false };
  }
  return null;
}

function swapToLe(bytes: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(bytes.length);
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    out[i] = bytes[i + 1]!;
    out[i + 1] = bytes[i]!;
  }
  return out;
}
