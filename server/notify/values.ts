/**
 * Keyword values by kind. The platform refuses a whole message (errcode
 * 47003) when one value breaks its kind's rule, so every value is fitted
 * before sending (`fitValue`) and checked by the messenger (`checkValue`),
 * in the cloud and in the local outbox alike.
 *
 * The rules (WeChat's documentation of 订阅消息 keyword kinds):
 * - thing: at most 20 characters (Chinese, digits, letters, symbols);
 * - phrase: at most 5 Chinese characters and nothing else;
 * - time: a 24-hour time, optionally after a date (2026年3月5日 15:01);
 * - date: a date, optionally with a 24-hour time; both may be a range joined by ~;
 * - number: at most 32 digits, a decimal point allowed;
 * - letter: at most 32 letters;
 * - character_string: at most 32 digits, letters or symbols;
 * - name: at most 10 Chinese characters, or at most 20 letters or symbols;
 * - amount: one currency sign and at most 10 digits, decimals allowed, may end in 元;
 * - phone_number: at most 17 digits and symbols.
 */
import type { KeywordKind } from '../../typings/templates';
import { chinaParts } from '../core/time';


const HAN = '\\u4e00-\\u9fff';
const DATE = '\\d{4}年\\d{1,2}月\\d{1,2}日';
const CLOCK = '(?:[01]?\\d|2[0-3]):[0-5]\\d';
const TIME_ONE = `(?:${DATE} )?${CLOCK}`;
const DATE_ONE = `${DATE}(?: ${CLOCK})?`;
const range = (one: string) => new RegExp(`^${one}(?:~${one})?$`);

const RULES: Record<KeywordKind, { test: (v: string) => boolean; rule: string }> = {
  thing: { test: (v) => v.length >= 1 && v.length <= 20 && !/[\u0000-\u001f\u007f\ud800-\udfff]/.test(v), rule: '1–20 characters, no control characters or emoji' },
  phrase: { test: (v) => new RegExp(`^[${HAN}]{1,5}$`).test(v), rule: '1–5 Chinese characters only' },
  time: { test: (v) => range(TIME_ONE).test(v), rule: "a 24-hour time, optionally after a date: 'YYYY年M月D日 HH:mm'" },
  date: { test: (v) => range(DATE_ONE).test(v), rule: "a date, optionally with a time: 'YYYY年M月D日'" },
  number: { test: (v) => v.length <= 32 && /^\d+(?:\.\d+)?$/.test(v), rule: 'at most 32 digits, one decimal point allowed' },
  letter: { test: (v) => /^[A-Za-z]{1,32}$/.test(v), rule: 'at most 32 letters' },
  character_string: { test: (v) => /^[\x21-\x7e]{1,32}$/.test(v), rule: 'at most 32 ASCII digits, letters or symbols' },
  name: {
    test: (v) => new RegExp(`^[${HAN}]{1,10}$`).test(v) || /^[A-Za-z .'\-]{1,20}$/.test(v),
    rule: 'at most 10 Chinese characters, or at most 20 letters',
  },
  amount: { test: (v) => /^[¥￥$€£]?\d{1,10}(?:\.\d{1,2})?元?$/.test(v), rule: 'an optional currency sign, at most 10 digits, may end in 元' },
  phone_number: { test: (v) => /^[\d+\-() ]{1,17}$/.test(v), rule: 'at most 17 digits and symbols' },
};

/** Null when the platform will take `value` for a keyword of `kind`; otherwise the rule it breaks. */
export function checkValue(kind: KeywordKind, value: unknown): string | null {
  if (typeof value !== 'string') return `${kind}: not a string`;
  const rule = RULES[kind];
  if (!rule) return `unknown keyword kind ${kind}`;
  return rule.test(value) ? null : `${kind}: ${rule.rule}`;
}

/** Line breaks, tabs and emoji count against the limit or are refused outright: folded to spaces or dropped. */
function plain(value: string): string {
  return value
    .replace(/[\ud800-\udfff]/g, '')
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function clip(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;
const LOCAL = /^(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})日?(?:[ T](\d{1,2}):(\d{2})(?::\d{2})?)?$/;

/**
 * A stored UTC instant is shown in China time; a plain 'YYYY-MM-DD[ HH:mm]'
 * is already a China-time reading and only changes shape.
 */
function parts(value: string): { y: number; m: number; d: number; clock?: string } | null {
  if (ISO_INSTANT.test(value)) {
    const t = chinaParts(value);
    return t ? { y: t.year, m: t.month, d: t.day, clock: `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}` } : null;
  }
  const match = LOCAL.exec(value);
  if (!match) return null;
  const [, y, m, d, hh, mm] = match;
  return { y: Number(y), m: Number(m), d: Number(d), clock: hh === undefined ? undefined : `${hh.padStart(2, '0')}:${mm}` };
}

function fitMoment(kind: 'time' | 'date', value: string): string {
  const sides = value.split('~').map((side) => side.trim());
  if (sides.length > 2) return value;
  const fitted = sides.map((side) => {
    if (checkValue(kind, side) === null) return side;
    const p = parts(side);
    if (!p) return side;
    const date = `${p.y}年${p.m}月${p.d}日`;
    // A date keyword says the day; a time keyword needs a clock, and midnight is what a bare date means.
    if (kind === 'date') return date;
    return `${date} ${p.clock ?? '00:00'}`;
  });
  return fitted.join('~');
}

/**
 * Reshapes a value to its kind's rule: shortened with an ellipsis, stripped
 * of what the kind does not allow, times put in the platform's format. An
 * empty value gets a neutral stand-in, since the platform refuses blanks.
 * A time or date that cannot be read is left as it is, for the check to refuse.
 */
export function fitValue(kind: KeywordKind, value: unknown): string {
  const text = plain(value === undefined || value === null ? '' : String(value));
  switch (kind) {
    case 'thing':
      return clip(text, 20) || '无';
    case 'phrase':
      return text.replace(new RegExp(`[^${HAN}]`, 'g'), '').slice(0, 5) || '有更新';
    case 'time':
    case 'date':
      return fitMoment(kind, text);
    case 'number': {
      const match = /\d+(?:\.\d+)?/.exec(text.replace(/,/g, ''));
      return match ? match[0].slice(0, 32) : '0';
    }
    case 'letter':
      return text.replace(/[^A-Za-z]/g, '').slice(0, 32) || 'NA';
    case 'character_string':
      return text.replace(/[^\x21-\x7e]/g, '').slice(0, 32) || '-';
    case 'name': {
      const han = text.replace(new RegExp(`[^${HAN}]`, 'g'), '');
      if (han) return han.slice(0, 10);
      return text.replace(/[^A-Za-z .'\-]/g, '').trim().slice(0, 20) || '用户';
    }
    case 'amount': {
      const match = /\d+(?:\.\d{1,2})?/.exec(text.replace(/,/g, ''));
      if (!match) return '0元';
      const [whole, decimals] = match[0].split('.');
      return `${whole.slice(0, 10)}${decimals ? `.${decimals}` : ''}元`;
    }
    case 'phone_number':
      return text.replace(/[^\d+\-() ]/g, '').trim().slice(0, 17);
  }
}
