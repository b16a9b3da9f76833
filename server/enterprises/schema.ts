import { z } from 'zod';
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

export const enterpriseInput = z.object({
  name: z.string().trim().min(2, '企业名称至少 2 个字').max(60),
  creditCode,
  industry: z.enum(INDUSTRIES, { errorMap: () => ({ message: '请选择行业' }) }),
  zone: z.string().trim().min(1, '请选择所在区域'),
  address: z.string().trim().min(2, '请填写地址').max(120),
  location: z.object({
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
  }),
  contactName: z.string().trim().min(1, '请填写联系人').max(20),
  contactPhone: phone,
  employees: z.number().int('员工人数应为整数').min(0, '员工人数不能为负数').max(1_000_000),
  chamberCodes: z.array(z.string().min(1)).max(10).default([]),
});
