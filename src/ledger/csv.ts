// CSV as spreadsheets write it: UTF-8 with or without a BOM, or GB18030 from Excel on Chinese Windows; RFC 4180
// records with quoted fields that may hold delimiters, doubled quotes and line breaks.

/** Decodes CSV bytes: UTF-8 (BOM dropped), or GB18030 when the bytes are not valid UTF-8 (Excel's "CSV" on Chinese Windows). */
export function decodeCsv(bytes: Buffer): { text: string; gb18030: boolean } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes), gb18030: false };
  } catch {
    return { text: new TextDecoder('gb18030').decode(bytes), gb18030: true };
  }
}

/**
 * RFC 4180 records: fields separated by the delimiter, quoted fields may hold delimiters, doubled quotes and line
 * breaks. Yields [record number (1-based, what Excel shows as the row), fields].
 */
export function* parseCsv(text: string, delimiter = ','): Generator<[number, string[]]> {
  let i = 0;
  let record = 0;
  const n = text.length;
  while (i < n) {
    const fields: string[] = [];
    let field = '';
    for (;;) {
      if (text[i] === '"') {
        i++;
        for (;;) {
          const q = text.indexOf('"', i);
          if (q < 0) {
            field += text.slice(i);
            i = n;
            break;
          }
          field += text.slice(i, q);
          i = q + 1;
          if (text[i] === '"') {
            field += '"';
            i++;
          } else break;
        }
        // Anything between the closing quote and the delimiter is kept, as spreadsheets do.
        while (i < n && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') field += text[i++];
      } else {
        while (i < n && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') field += text[i++];
      }
      fields.push(field);
      field = '';
      if (i < n && text[i] === delimiter) {
        i++;
        continue;
      }
      if (text[i] === '\r') i++;
      if (text[i] === '\n') i++;
      break;
    }
    record++;
    yield [record, fields];
  }
}
