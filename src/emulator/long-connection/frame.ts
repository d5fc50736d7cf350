/**
 * The long connection's binary frame, `pbbp2.Frame` as the SDK's protobuf codec defines it
 * (node_modules/@larksuiteoapi/node-sdk/lib/index.js, `pbbp2.Frame.encode/decode`):
 *
 *   1 SeqID uint64 · 2 LogID uint64 · 3 service int32 · 4 method int32 (0 control, 1 data) — all required
 *   5 headers repeated Header {1 key string, 2 value string} (both required)
 *   6 payloadEncoding string · 7 payloadType string · 8 payload bytes · 9 LogIDNew string
 *
 * A small hand-written codec (the emulator does not borrow the SDK's): the SDK decodes what this encodes,
 * and the tests check both directions against the real WSClient.
 */

export interface FrameHeader {
  key: string;
  value: string;
}

export interface Frame {
  SeqID: number;
  LogID: number;
  service: number;
  method: number;
  headers: FrameHeader[];
  payloadEncoding?: string;
  payloadType?: string;
  payload?: Uint8Array;
  LogIDNew?: string;
}

export const FrameMethod = { control: 0, data: 1 } as const;

export class FrameError extends Error {
  override readonly name = 'FrameError';
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

class Writer {
  private readonly parts: number[] = [];
  private readonly chunks: Uint8Array[] = [];

  varint(n: number): this {
    if (!Number.isSafeInteger(n) || n < 0) throw new FrameError(`not a varint: ${n}`);
    while (n >= 0x80) {
      this.parts.push((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    this.parts.push(n);
    return this;
  }

  tag(field: number, wireType: 0 | 2): this {
    return this.varint(field * 8 + wireType);
  }

  bytes(b: Uint8Array): this {
    this.varint(b.length);
    this.flush();
    this.chunks.push(b);
    return this;
  }

  private flush(): void {
    if (this.parts.length) {
      this.chunks.push(Uint8Array.from(this.parts));
      this.parts.length = 0;
    }
  }

  finish(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

function encodeHeader(h: FrameHeader): Uint8Array {
  return new Writer().tag(1, 2).bytes(utf8.encode(h.key)).tag(2, 2).bytes(utf8.encode(h.value)).finish();
}

export function encodeFrame(f: Frame): Uint8Array {
  const w = new Writer();
  // Required scalars are always written, zero included: the SDK's decoder refuses a frame without them.
  w.tag(1, 0).varint(f.SeqID).tag(2, 0).varint(f.LogID).tag(3, 0).varint(f.service).tag(4, 0).varint(f.method);
  for (const h of f.headers) w.tag(5, 2).bytes(encodeHeader(h));
  if (f.payloadEncoding !== undefined) w.tag(6, 2).bytes(utf8.encode(f.payloadEncoding));
  if (f.payloadType !== undefined) w.tag(7, 2).bytes(utf8.encode(f.payloadType));
  if (f.payload !== undefined) w.tag(8, 2).bytes(f.payload);
  if (f.LogIDNew !== undefined) w.tag(9, 2).bytes(utf8.encode(f.LogIDNew));
  return w.finish();
}

class Reader {
  pos = 0;
  constructor(
    private readonly buf: Uint8Array,
    private readonly end = buf.length,
  ) {}

  get done(): boolean {
    return this.pos >= this.end;
  }

  varint(): number {
    let n = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new FrameError('truncated varint');
      const b = this.buf[this.pos++]!;
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 0x80;
    }
    throw new FrameError('varint longer than 10 bytes');
  }

  bytes(): Uint8Array {
    const len = this.varint();
    if (len > this.end - this.pos) throw new FrameError('length past the end of the frame');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  string(): string {
    try {
      return fromUtf8.decode(this.bytes());
    } catch (e) {
      if (e instanceof FrameError) throw e;
      throw new FrameError('string is not UTF-8');
    }
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.varint();
        return;
      case 1:
        this.pos += 8;
        break;
      case 2:
        this.bytes();
        return;
      case 5:
        this.pos += 4;
        break;
      default:
        throw new FrameError(`unsupported wire type ${wireType}`);
    }
    if (this.pos > this.end) throw new FrameError('truncated field');
  }
}

function decodeHeader(buf: Uint8Array): FrameHeader {
  const r = new Reader(buf);
  let key: string | undefined;
  let value: string | undefined;
  while (!r.done) {
    const tag = r.varint();
    if (tag === 10) key = r.string();
    else if (tag === 18) value = r.string();
    else r.skip(tag & 7);
  }
  if (key === undefined || value === undefined) throw new FrameError('header without key or value');
  return { key, value };
}

/** Decodes one frame; throws FrameError on anything the SDK's decoder would refuse. */
export function decodeFrame(buf: Uint8Array): Frame {
  const r = new Reader(buf);
  const f: Partial<Frame> & { headers: FrameHeader[] } = { headers: [] };
  while (!r.done) {
    const tag = r.varint();
    switch (tag) {
      case 8:
        f.SeqID = r.varint();
        break;
      case 16:
        f.LogID = r.varint();
        break;
      case 24:
        f.service = r.varint();
        break;
      case 32:
        f.method = r.varint();
        break;
      case 42:
        f.headers.push(decodeHeader(r.bytes()));
        break;
      case 50:
        f.payloadEncoding = r.string();
        break;
      case 58:
        f.payloadType = r.string();
        break;
      case 66:
        f.payload = r.bytes().slice();
        break;
      case 74:
        f.LogIDNew = r.string();
        break;
      default:
        r.skip(tag & 7);
    }
  }
  for (const k of ['SeqID', 'LogID', 'service', 'method'] as const) {
    if (f[k] === undefined) throw new FrameError(`missing required '${k}'`);
  }
  return f as Frame;
}

/** The value of a frame header, or undefined. */
export function headerOf(f: Frame, key: string): string | undefined {
  return f.headers.find((h) => h.key === key)?.value;
}
