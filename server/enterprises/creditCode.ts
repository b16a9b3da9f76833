/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters
 * from a 31-symbol alphabet (no I, O, Z, S, V); the last is a check digit
 * computed modulo 31 over the first 17 with fixed weights.
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = ALPHABET.indexOf(first17[i]);
    if (value < 0) throw new Error(`invalid character ${first17[i]}`);
    sum += value * WEIGHTS[i];
  }
  return ALPHABET[(31 - (sum % 31)) % 31];
}

export type CreditCodeProblem = 'length' | 'characters' | 'checkDigit';

export function checkCreditCode(raw: string): CreditCodeProblem | null {
  const code = raw.trim().toUpperCase();
  if (code.length !== 18) return 'length';
  if (![...code].every((c) => ALPHABET.includes(c))) return 'characters';
  return creditCodeCheckChar(code.slice(0, 17)) === code[17] ? null : 'checkDigit';
}

export const CREDIT_CODE_MESSAGES: Record<CreditCodeProblem, string> = {
  length: '统一社会信用代码应为 18 位',
  characters: '统一社会信用代码含有不允许的字符（不使用 I、O、Z、S、V）',
  checkDigit: '统一社会信用代码校验位不正确，请核对营业执照',
};

export function normaliseCreditCode(raw: string): string {
  return raw.trim().toUpperCase();
}
