/**
 * A small multipart/form-data reader that keeps every part as bytes.
 *
 * Needed because the SDK uploads a Buffer as a part without a filename, which the WHATWG `formData()` parser
 * turns into a (lossy) text field. Lark takes the bytes either way, and so must we.
 */
export interface Part {
  name: string;
  filename?: string;
  contentType?: string;
  data: Uint8Array;
}

const CRLF = [13, 10];

function indexOf(hay: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let i = from; i <= hay.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

export function parseMultipart(contentType: string, body: Uint8Array): Part[] {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) throw new Error('multipart body without boundary');
  const enc = new TextEncoder();
  const delimiter = enc.encode(`--${boundary}`);
  const parts: Part[] = [];
  let pos = indexOf(body, delimiter, 0);
  if (pos < 0) throw new Error('multipart boundary not found');
  for (;;) {
    pos += delimiter.length;
    if (body[pos] === 45 && body[pos + 1] === 45) break; // "--": the closing delimiter
    if (body[pos] === CRLF[0] && body[pos + 1] === CRLF[1]) pos += 2;
    const headerEnd = indexOf(body, enc.encode('\r\n\r\n'), pos);
    if (headerEnd < 0) throw new Error('multipart part without headers');
    const headerText = new TextDecoder().decode(body.subarray(pos, headerEnd));
    const next = indexOf(body, enc.encode(`\r\n--${boundary}`), headerEnd + 4);
    if (next < 0) throw new Error('multipart part without closing boundary');
    const data = body.slice(headerEnd + 4, next);
    const headers = new Map<string, string>();
    for (const line of headerText.split('\r\n')) {
      const i = line.indexOf(':');
      if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
    }
    const disposition = headers.get('content-disposition') ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    const star = /\bfilename\*=(?:UTF-8'')?([^;]+)/i.exec(disposition)?.[1];
    const plain = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    if (name !== undefined) {
      const part: Part = { name, data };
      const filename = star !== undefined ? decodeURIComponent(star) : plain;
      if (filename !== undefined) part.filename = filename;
      const ct = headers.get('content-type');
      if (ct !== undefined) part.contentType = ct;
      parts.push(part);
    }
    pos = next + 2;
  }
  return parts;
}
