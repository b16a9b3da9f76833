/**
 * The federation's enterprise list, imported from the spreadsheet it
 * already keeps: the admin picks the xlsx (or csv) from a chat, it is
 * uploaded and checked without writing anything (a dry run), the page shows
 * what would be created, updated or rejected and why, row by row, and only
 * 确认导入 writes. Credit codes are the key, so importing again updates.
 */
import type { ImportLine, ImportResult } from '../../services/admin-api';
import { SHEET_EXTENSIONS, adminApi, uploadSheet } from '../../services/admin-api';
import type { PageThis } from '../../utils/define-page';
import { definePage } from '../../utils/define-page';

/** What an update would change, as the sheet's own column names. */
const FIELD_NAMES: Record<string, string> = {
  name: '企业名称',
  creditCode: '统一社会信用代码',
  industry: '行业',
  zone: '区域',
  address: '地址',
  contactName: '联系人',
  contactPhone: '联系电话',
  employees: '员工数',
  chamberCodes: '所属商会',
  location: '位置',
  latitude: '纬度',
  longitude: '经度',
};

/** Rows shown per group: the counts say how many there are; a phone need not list 5,000. */
const SHOWN = 100;

type Stage = 'pick' | 'uploading' | 'checking' | 'preview' | 'importing' | 'done';

interface LineRow {
  key: string;
  row: string;
  name: string;
  detail: string;
}

interface Group {
  key: 'reject' | 'create' | 'update' | 'left';
  title: string;
  rows: LineRow[];
  more: number;
}

interface ImportData {
  stage: Stage;
  fileName: string;
  created: number;
  updated: number;
  rejected: number;
  /** Rows a written call found written first by someone else (another import at the same time, a registration). */
  left: number;
  groups: Group[];
  /** Whether the dry run found anything to write. */
  writable: boolean;
  /** 「已写入 500/1200 家」 while a long sheet is written in chunks. */
  importProgress: string;
}

interface ImportMethods {
  choose(): Promise<void>;
  confirm(): Promise<void>;
  again(): void;
}

type This = PageThis<ImportData, ImportMethods> & { fileID?: string; resumeFrom?: number };

function lineRow(l: ImportLine): LineRow {
  let detail = '';
  if (l.action === 'reject' || l.action === 'left') detail = l.reason || (l.action === 'left' ? '未写入' : '无法导入');
  if (l.action === 'update') detail = l.changes && l.changes.length ? `将修改：${l.changes.map((c) => FIELD_NAMES[c] || '其他信息').join('、')}` : '与现有信息相同，不做修改';
  return { key: `${l.action}-${l.row}`, row: `第 ${l.row} 行`, name: l.name || '（未填企业名称）', detail };
}

export function groupsOf(result: ImportResult): Group[] {
  const groups: Group[] = [
    { key: 'reject', title: '不能导入', rows: [], more: 0 },
    { key: 'create', title: '将新增', rows: [], more: 0 },
    { key: 'update', title: '将更新', rows: [], more: 0 },
    { key: 'left', title: '未写入', rows: [], more: 0 },
  ];
  for (const line of result.lines || []) {
    const group = groups.find((g) => g.key === line.action);
    if (!group) continue;
    if (group.rows.length < SHOWN) group.rows.push(lineRow(line));
    else group.more += 1;
  }
  return groups.filter((g) => g.rows.length > 0);
}

function chooseSheet(): Promise<{ path: string; name: string }> {
  return new Promise((resolve, reject) => {
    wx.chooseMessageFile({
      count: 1,
      type: 'file',
      extension: SHEET_EXTENSIONS,
      success: (res) => {
        const file = res.tempFiles[0];
        if (file) resolve({ path: file.path, name: file.name });
        else reject(null);
      },
      // Cancelling the picker is not an error worth a message.
      fail: () => reject(null),
    });
  });
}

definePage<ImportData, ImportMethods>({
  data: { stage: 'pick', fileName: '', created: 0, updated: 0, rejected: 0, left: 0, groups: [], writable: false, importProgress: '' },

  methods: {
    async choose(this: This) {
      if (this.data.busy) return;
      let file: { path: string; name: string };
      try {
        file = await chooseSheet();
      } catch {
        return;
      }
      if (!/\.(xlsx|csv)$/i.test(file.name)) {
        wx.showToast({ title: '请选择 Excel（.xlsx）或 .csv 表格', icon: 'none', duration: 3000 });
        return;
      }
      this.fileID = undefined;
      this.setData({ stage: 'uploading', fileName: file.name, groups: [] });
      const result = await this.send(async () => {
        const fileID = await uploadSheet(file.path, file.name);
        this.fileID = fileID;
        this.setData({ stage: 'checking' });
        return adminApi.importEnterprises(fileID, true);
      });
      if (!result) {
        this.setData({ stage: 'pick' });
        return;
      }
      this.setData({
        stage: 'preview',
        created: result.created,
        updated: result.updated,
        rejected: result.rejected,
        groups: groupsOf(result),
        writable: result.created + result.updated > 0,
      });
    },

    async confirm(this: This) {
      const fileID = this.fileID;
      if (!fileID || !this.data.writable) return;
      this.setData({ stage: 'importing', importProgress: '' });
      // The server writes a long sheet in chunks: keep calling until it says nothing is left, showing how far it got.
      // Each answer reports its own chunk as written: the page adds them up.
      const done: ImportResult = { dryRun: false, created: 0, updated: 0, rejected: 0, left: 0, lines: [] };
      let offset = this.resumeFrom ?? 0;
      for (;;) {
        const at = offset;
        const result = await this.send(() => adminApi.importEnterprises(fileID, false, at));
        if (!result) {
          // Stopped part way: 确认导入 again continues from here (every write is safe to repeat).
          this.resumeFrom = at;
          this.setData({ stage: 'preview', importProgress: '' });
          return;
        }
        done.created += result.created;
        done.updated += result.updated;
        done.rejected += result.rejected;
        done.left = (done.left ?? 0) + (result.left ?? 0);
        done.lines = done.lines.concat(result.lines || []);
        if (result.written) this.setData({ importProgress: `已写入 ${result.written.to}/${result.written.of} 家` });
        if (result.nextOffset === undefined) break;
        offset = result.nextOffset;
      }
      this.resumeFrom = undefined;
      this.setData({ stage: 'done', importProgress: '', created: done.created, updated: done.updated, rejected: done.rejected, left: done.left ?? 0, groups: groupsOf(done) });
    },

    again(this: This) {
      this.fileID = undefined;
      this.setData({ stage: 'pick', fileName: '', groups: [], created: 0, updated: 0, rejected: 0, left: 0, sendError: '' });
    },
  },
});
