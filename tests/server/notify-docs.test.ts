/**
 * docs/notifications.md shows the template table the code runs on. The
 * generated part sits between markers; `UPDATE_DOCS=1 npx jest
 * tests/server/notify-docs.test.ts` rewrites it after the table changes.
 */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { SUBSCRIBE_MOMENTS, SUBSCRIBE_TEMPLATES, TEMPLATE_KEYS, type TemplateKey } from '../../typings/templates';

const FILE = join(__dirname, '..', '..', 'docs', 'notifications.md');
const BEGIN = '<!-- generated from miniprogram/subscribe-templates.ts: begin -->';
const END = '<!-- generated from miniprogram/subscribe-templates.ts: end -->';

const FILL_WORDS: Record<string, string> = {
  needType: '需求类型',
  status: '状态（5 字以内，按读者措辞）',
  enterpriseName: '企业名称',
  unitName: '单位名称',
  note: '说明（进展、问题、原因）',
  updatedAt: '变更时间',
  createdAt: '提交时间',
  dueAt: '办结时限',
  leaseUntil: '认领到期时间',
  pending: '待办件数',
  detail: '待认领、超时件数',
  date: '当天日期',
};

function askedAt(key: TemplateKey): string {
  return Object.entries(SUBSCRIBE_MOMENTS)
    .filter(([, m]) => (m.templates as readonly string[]).includes(key))
    .map(([name]) => `\`${name}\``)
    .join(', ');
}

function generated(): string {
  const lines = [
    BEGIN,
    '',
    '| key | template title (公共模板库) | keywords: name · kind · 关键词 ← value | who receives it | sent when | asked at |',
    '|---|---|---|---|---|---|',
    ...TEMPLATE_KEYS.map((key) => {
      const t = SUBSCRIBE_TEMPLATES[key];
      const keywords = t.keywords.map((k) => `\`${k.name}\` · ${k.kind} · ${k.label} ← ${FILL_WORDS[k.fills] ?? k.fills}`).join('<br>');
      return `| \`${key}\` | ${t.title} | ${keywords} | ${t.receivers} | ${t.sentWhen} | ${askedAt(key)} |`;
    }),
    '',
    '| moment | who is asked, where | templates asked for (≤ 3) |',
    '|---|---|---|',
    ...Object.entries(SUBSCRIBE_MOMENTS).map(([name, m]) => `| \`${name}\` | ${m.who} | ${m.templates.map((k) => `\`${k}\``).join(', ')} |`),
    '',
    END,
  ];
  return lines.join('\n');
}

test('docs/notifications.md shows the template table and the moments as the code has them', () => {
  const doc = readFileSync(FILE, 'utf8');
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  expect(start).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  const current = doc.slice(start, end + END.length);
  if (process.env.UPDATE_DOCS && current !== generated()) {
    writeFileSync(FILE, doc.slice(0, start) + generated() + doc.slice(end + END.length));
    return;
  }
  expect(current).toBe(generated());
});

test('every fill is worded for the docs', () => {
  for (const key of TEMPLATE_KEYS) for (const k of SUBSCRIBE_TEMPLATES[key].keywords) expect(FILL_WORDS[k.fills]).toBeDefined();
});
