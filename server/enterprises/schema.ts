import { z } from 'zod';
import { count, text } from '../core/validation';
import { checkCreditCode, CREDIT_CODE_MESSAGES, normaliseCreditCode } from './creditCode';

export const INDUSTRIES = [
  'manufacturing',
  'medical',
  'catering',
  'retail',
  'logistics',
  'construction',
  'real_estate',
  'technology',
  'services',
  'beauty',
  'other',
] as const;

const creditCode = z
  .string()
  .transform(normaliseCreditCode)
  .superRefine((code, ctx) => {
    const problem = checkCreditCode(code);
    if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: CREDIT_CODE_MESSAGES[problem] });
  });

/** Mobile (1xxxxxxxxxx) or landline with area code (023-12345678). */
const phone = z
  .string()
  .trim()
  .regex(/^(1\d{10}|0\d{2,3}-?\d{7,8})$/, '联系电话应为 11 位手机号或带区号的座机号');

/** Spec, "Bounds": a district's enterprise has 0 to 1,000,000 employees. */
export const MAX_EMPLOYEES = 1_000_000;

export const employeeCount = () => count(MAX_EMPLOYEES, { min: 0, unit: ' 人' });

export const enterpriseInput = z.object({
  name: text({ min: 2, max: 60, required: '企业名称至少 2 个字' }),
  creditCode,
  industry: z.enum(INDUSTRIES, { errorMap: () => ({ message: '请选择行业' }) }),
  zone: text({ max: 64, required: '请选择所在区域' }),
  address: text({ min: 2, max: 120, required: '请填写地址' }),
  location: z.object({
    latitude: z.number().finite().min(-90).max(90),
    longitude: z.number().finite().min(-180).max(180),
  }),
  contactName: text({ max: 20, required: '请填写联系人' }),
  contactPhone: phone,
  employees: employeeCount(),
  chamberCodes: z.array(text({ max: 64, required: '请选择商会' })).max(10).default([]),
});
