/**
 * exceljs and the tree it brings (about 2.5 MB) load only in the calls that
 * read or write a workbook: bundled, or required at the top, every cold
 * start of the admin and ledger functions paid for it (140 ms), whatever the
 * action. The function bundles leave it external and each of those
 * functions' package.json has the cloud install it beside wx-server-sdk.
 */
import { Readable } from 'stream';
import { inflateRawSync } from 'zlib';

export type Excel = typeof import('exceljs');

let excel: Excel | undefined;

export async function loadExcel(): Promise<Excel> {
  excel ??= require('exceljs') as Excel;
  return excel;
}

// ---- reading a sheet -------------------------------------------------

/** A sheet the reader cannot take: the caller answers INVALID_ARGUMENT with this Chinese reason. */
export class UnreadableSheet extends Error {}

/**
 * How much a workbook's parts may inflate to. A 5,000-row sheet of the
 * federation's 13 columns is about 4 MB of XML; 32 MB leaves room for wide
 * cells and stops a 1 MB zip that inflates to gigabytes before it costs more
 * than a moment.
 */
export const MAX_INFLATED_BYTES = 32 * 1024 * 1024;

interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  offset: number;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;

/**
 * The entries a zip's central directory lists, each pointing at its local
 * header. Only these are read (and re-packed for the reader), so entries a
 * crafted zip hides between them never reach it.
 */
function zipEntries(zip: Buffer): ZipEntry[] {
  const unreadable = () => new UnreadableSheet('不是有效的 Excel（.xlsx）文件，请用 Excel 或 WPS 另存为 .xlsx 后重试');
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === SIG_END) {
      end = i;
      break;
    }
  }
  if (end < 0) throw unreadable();
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  // ZIP64 (counts or offsets at their maximum) is never a sheet of 5,000 rows.
  if (count === 0xffff || at === 0xffffffff || at > end) throw unreadable();
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || zip.readUInt32LE(at) !== SIG_CENTRAL) throw unreadable();
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const offset = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    if (flags & 0x1) throw new UnreadableSheet('表格文件已加密，请取消密码后重试');
    if (offset + 30 > zip.length || zip.readUInt32LE(offset) !== SIG_LOCAL) throw unreadable();
    entries.push({ name, method, flags, compressedSize, offset });
    at += 46 + skip;
  }
  return entries;
}

/** An entry's bytes inflated, at most `budget` of them (the rest of the workbook's allowance). */
function inflate(zip: Buffer, entry: ZipEntry, budget: number): Buffer {
  const local = entry.offset;
  const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
  if (start + entry.compressedSize > zip.length) throw new UnreadableSheet('表格文件不完整，请重新上传');
  const data = zip.subarray(start, start + entry.compressedSize);
  const tooLarge = () => new UnreadableSheet(`表格内容过大（解压后超过 ${MAX_INFLATED_BYTES / 1024 / 1024} MB），请删去多余的行、列和图片，或拆成几个表格导入`);
  if (entry.method === 0) {
    if (data.length > budget) throw tooLarge();
    return data;
  }
  if (entry.method !== 8) throw new UnreadableSheet('表格文件的压缩方式无法识别，请用 Excel 或 WPS 另存为 .xlsx 后重试');
  try {
    // maxOutputLength stops inflating at the allowance: the bomb is never written out.
    return inflateRawSync(data, { maxOutputLength: Math.max(1, budget) });
  } catch (err) {
    if (err instanceof RangeError || (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
    throw new UnreadableSheet('表格文件已损坏，请重新保存后上传');
  }
}

/** One stored (uncompressed) zip entry: local header and data; the reader needs nothing more. */
function storedEntry(name: string, data: Buffer): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  const header = Buffer.alloc(30);
  header.writeUInt32LE(SIG_LOCAL, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt32LE(data.length, 18);
  header.writeUInt32LE(data.length, 22);
  header.writeUInt16LE(nameBytes.length, 26);
  return Buffer.concat([header, nameBytes, data]);
}

const EMPTY_SHARED_STRINGS = Buffer.from('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>');

/** The part of the first sheet in the workbook's own order (workbook.xml → its relationship), or undefined. */
function firstSheetPart(workbook: string, rels: string): string | undefined {
  const sheet = /<(?:\w+:)?sheet\b[^>]*?\br:id="([^"]+)"/.exec(workbook);
  if (!sheet) return undefined;
  for (const m of rels.matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)) {
    if (new RegExp(`\\bId="${sheet[1].replace(/[^\w-]/g, '')}"`).test(m[0])) {
      const target = /\bTarget="([^"]+)"/.exec(m[0])?.[1];
      return target ? `xl/${target.replace(/^\/?xl\//, '').replace(/^\//, '')}` : undefined;
    }
  }
  return undefined;
}

/**
 * The workbook as the streaming reader should see it: only the parts it
 * needs (relationships, workbook, shared strings, the first sheet), in the
 * order that lets it stream the sheet instead of spooling it to a temp file
 * (Excel writes the shared strings after the sheets), each inflated here
 * within MAX_INFLATED_BYTES. What the reader walks is then exactly what was
 * measured, whatever the original zip's headers claimed.
 */
function readableXlsx(zip: Buffer): Buffer {
  const entries = new Map(zipEntries(zip).map((e) => [e.name, e]));
  let budget = MAX_INFLATED_BYTES;
  const take = (name: string): Buffer | undefined => {
    const entry = entries.get(name);
    if (!entry) return undefined;
    const data = inflate(zip, entry, budget);
    budget -= data.length;
    return data;
  };
  const rels = take('xl/_rels/workbook.xml.rels');
  const workbook = take('xl/workbook.xml');
  if (!rels || !workbook) throw new UnreadableSheet('不是有效的 Excel（.xlsx）文件，请用 Excel 或 WPS 另存为 .xlsx 后重试');
  const numbered = [...entries.keys()]
    .map((n) => /^xl\/worksheets\/sheet(\d+)\.xml$/.exec(n))
    .filter((m): m is RegExpExecArray => !!m)
    .sort((a, b) => Number(a[1]) - Number(b[1]))
    .map((m) => m[0]);
  const first = firstSheetPart(workbook.toString('utf8'), rels.toString('utf8'));
  const sheetName = first && /^xl\/worksheets\/sheet\d+\.xml$/.test(first) && entries.has(first) ? first : numbered[0];
  if (!sheetName) throw new UnreadableSheet('表格是空的');
  const shared = take('xl/sharedStrings.xml') ?? EMPTY_SHARED_STRINGS;
  const sheet = take(sheetName)!;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(SIG_END, 0);
  return Buffer.concat([
    storedEntry('xl/_rels/workbook.xml.rels', rels),
    storedEntry('xl/workbook.xml', workbook),
    storedEntry('xl/sharedStrings.xml', shared),
    storedEntry(sheetName, sheet),
    end,
  ]);
}

/** The reader parses a chunk at a time: fed in slices, it stops within a slice of the row limit. */
function* slices(bytes: Buffer, size: number): Generator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

/** A row as the reader gives it: its number in the sheet and exceljs's 1-based `values`. */
export interface SheetRow {
  number: number;
  values: unknown[];
}

/**
 * The rows of an xlsx's first sheet, streamed: the caller stops iterating
 * at its row limit and the rest of the sheet is never parsed. Anything the
 * reader cannot make sense of (a cell without its `r=` reference, broken
 * XML, a part over the size allowance) throws UnreadableSheet.
 */
export async function* xlsxRows(bytes: Buffer): AsyncGenerator<SheetRow> {
  const zip = readableXlsx(bytes);
  const excel = await loadExcel();
  const reader = new excel.stream.xlsx.WorkbookReader(Readable.from(slices(zip, 64 * 1024)), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  });
  try {
    for await (const ws of reader) {
      for await (const row of ws) {
        if (!Number.isSafeInteger(row.number) || row.number < 1) throw new UnreadableSheet('表格中有行缺少行号，请用 Excel 或 WPS 另存为 .xlsx 后重试');
        yield { number: row.number, values: row.values as unknown[] };
      }
      return; // the first sheet only
    }
  } catch (err) {
    if (err instanceof UnreadableSheet) throw err;
    throw new UnreadableSheet('表格内容无法识别（可能缺少单元格位置等），请用 Excel 或 WPS 另存为 .xlsx 后重试');
  }
}
