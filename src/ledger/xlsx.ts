// Streaming .xlsx rows, one worksheet at a time, through exceljs's streaming WorksheetReader.
//
// Why not exceljs's WorkbookReader (4.4.0) as it is:
// - When worksheet entries come before xl/sharedStrings.xml and xl/workbook.xml in the zip (the order exceljs's own
//   writer uses, and Excel puts sharedStrings after the sheets too), it parks the sheets in temp files and, on Node 20,
//   its event-based zip iteration ends right after them: workbook.xml is never read and it throws
//   "Cannot read properties of undefined (reading 'sheets')".
// - Its XML parser decodes every chunk on its own (TextDecoder without {stream: true}), so a Chinese character whose
//   three UTF-8 bytes straddle a chunk boundary becomes two U+FFFD: rare in small files, certain in big ones.
// So this opens the zip by its central directory (random access: the workbook, relationships, shared strings and
// styles are read first, whatever their order), decodes UTF-8 as a stream, and hands each worksheet's XML to
// exceljs's WorksheetReader, which yields rows without building the sheet in memory.

import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import type ExcelJS from 'exceljs';

const requireFromExceljs = createRequire(createRequire(import.meta.url).resolve('exceljs'));

interface ZipFile {
  path: string;
  type: 'File' | 'Directory';
  stream(): Readable;
}
interface Unzipper {
  Open: { file(path: string): Promise<{ files: ZipFile[] }>; buffer(buf: Buffer): Promise<{ files: ZipFile[] }> };
}
type SaxEvent = { eventType: 'opentag' | 'text' | 'closetag'; value: { name: string; attributes: Record<string, string> } | string };
type ParseSax = (iterable: AsyncIterable<string>) => AsyncIterable<SaxEvent[]>;
interface StyleManager {
  init(): void;
  parseStream(stream: AsyncIterable<string>): Promise<unknown>;
}
type WorksheetReaderCtor = new (args: {
  workbook: { sharedStrings: unknown[]; styles: StyleManager; properties: { model: { date1904: boolean } } };
  id: number;
  iterator: AsyncIterable<string>;
  options: Record<string, string>;
}) => AsyncIterable<ExcelJS.Row>;

const unzipper = requireFromExceljs('unzipper') as Unzipper;
const parseSax = requireFromExceljs('./lib/utils/parse-sax.js') as ParseSax;
const StylesXform = requireFromExceljs('./lib/xlsx/xform/style/styles-xform.js') as new () => StyleManager;
const WorksheetReader = requireFromExceljs('./lib/stream/xlsx/worksheet-reader.js') as WorksheetReaderCtor;

/** UTF-8 decoded across chunk boundaries. */
async function* utf8(stream: Readable): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of stream) {
    const s = decoder.decode(chunk as Uint8Array, { stream: true });
    if (s) yield s;
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}

/** Element name without its namespace prefix (x:sheet → sheet). */
const local = (name: string) => name.slice(name.indexOf(':') + 1);

async function* tags(stream: Readable): AsyncGenerator<SaxEvent> {
  for await (const events of parseSax(utf8(stream))) yield* events;
}

interface Rel {
  id: string;
  type: string;
  target: string;
}

async function readRels(file: ZipFile | undefined): Promise<Rel[]> {
  const rels: Rel[] = [];
  if (!file) return rels;
  for await (const e of tags(file.stream())) {
    if (e.eventType !== 'opentag' || typeof e.value === 'string' || local(e.value.name) !== 'Relationship') continue;
    const a = e.value.attributes;
    rels.push({ id: a.Id ?? '', type: a.Type ?? '', target: a.Target ?? '' });
  }
  return rels;
}

async function readWorkbookXml(file: ZipFile): Promise<{ sheets: { name: string; id: number; rId: string }[]; date1904: boolean }> {
  const sheets: { name: string; id: number; rId: string }[] = [];
  let date1904 = false;
  for await (const e of tags(file.stream())) {
    if (e.eventType !== 'opentag' || typeof e.value === 'string') continue;
    const a = e.value.attributes;
    const name = local(e.value.name);
    if (name === 'workbookPr') date1904 = a.date1904 === '1' || a.date1904 === 'true';
    if (name === 'sheet') {
      const rId = Object.entries(a).find(([k]) => k === 'r:id' || k.endsWith(':id'))?.[1] ?? '';
      sheets.push({ name: a.name ?? '', id: Number(a.sheetId ?? sheets.length + 1), rId });
    }
  }
  return { sheets, date1904 };
}

/** Shared strings as plain text (rich-text runs joined, phonetic guides dropped): all the reader needs. */
async function readSharedStrings(file: ZipFile | undefined): Promise<string[]> {
  const out: string[] = [];
  if (!file) return out;
  let text = '';
  let inT = false;
  let inPhonetic = false;
  for await (const e of tags(file.stream())) {
    if (e.eventType === 'opentag' && typeof e.value !== 'string') {
      const n = local(e.value.name);
      if (n === 'si') text = '';
      else if (n === 't') inT = true;
      else if (n === 'rPh') inPhonetic = true;
    } else if (e.eventType === 'text') {
      if (inT && !inPhonetic) text += e.value as string;
    } else if (typeof e.value !== 'string') {
      const n = local(e.value.name);
      if (n === 't') inT = false;
      else if (n === 'rPh') inPhonetic = false;
      else if (n === 'si') out.push(text);
    }
  }
  return out;
}

function resolveTarget(target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = `xl/${target}`.split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.' && p !== '') out.push(p);
  }
  return out.join('/');
}

export class XlsxFormatError extends Error {}

/**
 * Calls `onSheet` for each worksheet in tab order; when it returns a consumer, the sheet's rows are streamed to it.
 * Throws XlsxFormatError for a file that is not an .xlsx workbook.
 */
export async function streamXlsx(source: string | Buffer, onSheet: (name: string) => ((row: ExcelJS.Row) => void) | null): Promise<void> {
  let files: ZipFile[];
  try {
    files = (typeof source === 'string' ? await unzipper.Open.file(source) : await unzipper.Open.buffer(source)).files;
  } catch (e) {
    throw new XlsxFormatError((e as Error).message);
  }
  const byPath = new Map(files.filter((f) => f.type === 'File').map((f) => [f.path.replace(/^\/+/, ''), f]));
  const workbookFile = byPath.get('xl/workbook.xml');
  if (!workbookFile) throw new XlsxFormatError('xl/workbook.xml not found');
  const rels = await readRels(byPath.get('xl/_rels/workbook.xml.rels'));
  const { sheets, date1904 } = await readWorkbookXml(workbookFile);
  const relTarget = (suffix: string, fallback: string) => {
    const r = rels.find((x) => x.type.endsWith(suffix));
    return r ? resolveTarget(r.target) : fallback;
  };
  const sharedStrings = await readSharedStrings(byPath.get(relTarget('/sharedStrings', 'xl/sharedStrings.xml')));
  const styles = new StylesXform();
  const stylesFile = byPath.get(relTarget('/styles', 'xl/styles.xml'));
  if (stylesFile) await styles.parseStream(utf8(stylesFile.stream()));
  else styles.init();
  const workbook = { sharedStrings, styles, properties: { model: { date1904 } } };

  for (const sheet of sheets) {
    const rel = rels.find((r) => r.id === sheet.rId);
    const file = rel ? byPath.get(resolveTarget(rel.target)) : undefined;
    if (!file) continue;
    const consume = onSheet(sheet.name);
    if (!consume) continue;
    const reader = new WorksheetReader({
      workbook,
      id: sheet.id,
      iterator: utf8(file.stream()),
      options: { worksheets: 'emit', hyperlinks: 'ignore' },
    });
    for await (const row of reader) consume(row);
  }
}
