// Protobuf wire format primitives: varint lengths and a growable byte writer.
// Sizes here are what the Kubernetes (gogo) generated code writes; nothing is guessed.

/** Bytes a varint takes for a non-negative integer below 2^53, or 10 for a negative one (sign-extended). */
export function varintSize(n: number): number {
  if (n < 0) return 10;
  let size = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** Bytes of a length-delimited field: tag + length varint + payload. Tags below 16 take one byte. */
export function delimitedSize(fieldNumber: number, payloadBytes: number): number {
  return varintSize(fieldNumber << 3) + varintSize(payloadBytes) + payloadBytes;
}

const utf8 = new TextEncoder();

/** Growable buffer; each message is encoded into its own writer and copied into its parent. */
export class ByteWriter {
  private buf = new Uint8Array(64);
  length = 0;

  private reserve(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.length + extra) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  varint(n: number | bigint): void {
    this.reserve(10);
    if (typeof n === 'number' && n >= 0 && n < 2 ** 31) {
      let x = n;
      while (x >= 128) {
        this.buf[this.length++] = (x & 127) | 128;
        x >>>= 7;
      }
      this.buf[this.length++] = x;
      return;
    }
    // Large and negative values (sign-extended to 64 bits) through BigInt, only here: it is slow.
    let v = BigInt.asUintN(64, BigInt(n));
    while (v >= 128n) {
      this.buf[this.length++] = Number(v & 127n) | 128;
      v >>= 7n;
    }
    this.buf[this.length++] = Number(v);
  }

  tag(fieldNumber: number, wireType: 0 | 1 | 2 | 5): void {
    this.varint((fieldNumber << 3) | wireType);
  }

  raw(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }

  delimited(fieldNumber: number, bytes: Uint8Array): void {
    this.tag(fieldNumber, 2);
    this.varint(bytes.length);
    this.raw(bytes);
  }

  /** A string field, encoded straight into the buffer (no intermediate byte array). */
  string(fieldNumber: number, s: string): void {
    const n = Buffer.byteLength(s, 'utf8');
    this.tag(fieldNumber, 2);
    this.varint(n);
    this.reserve(n);
    utf8.encodeInto(s, this.buf.subarray(this.length, this.length + n));
    this.length += n;
  }

  double(fieldNumber: number, x: number): void {
    this.tag(fieldNumber, 1);
    this.reserve(8);
    new DataView(this.buf.buffer).setFloat64(this.length, x, true);
    this.length += 8;
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

export function utf8Bytes(s: string): Uint8Array {
  return utf8.encode(s);
}
