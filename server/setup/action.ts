/**
 * admin.setup {code}: installs the district and makes the caller its first
 * admin, once per setup code. It must work on an environment where not even
 * `users` exists, so it reads nothing it cannot do without.
 */
import { z } from 'zod';
import { defineAction } from '../core/actions';
import { forbidden } from '../core/errors';
import type { Context, Db } from '../core/ports';
import { getDoc, inTransaction } from '../core/tx';
import { isCollectionMissing } from '../db/collections';
import type { UserDoc } from '../access/session';
import { DISTRICT } from '../seed/dataset';
import type { Dataset } from './dataset';
import { installDistrict, type InstallResult } from './install';
import { codeHash, MIN_SETUP_CODE_LENGTH, sameCode } from './code';

/** settings/setup: which codes were spent, by whom and when. */
export interface SetupRecord {
  _id: 'setup';
  spentAt: string;
  spentBy: string;
  codeHash: string;
  /** Codes spent before the latest one (a district that lost its admins sets a new code). */
  earlier: Array<{ spentAt: string; spentBy: string; codeHash: string }>;
}

export const isSpent = (record: SetupRecord | null, hash: string) =>
  Boolean(record && (record.codeHash === hash || (record.earlier ?? []).some((e) => e.codeHash === hash)));

export async function readSetupRecord(db: Db): Promise<SetupRecord | null> {
  try {
    return await getDoc<SetupRecord>(db, 'settings', 'setup');
  } catch (err) {
    if (isCollectionMissing(err)) return null;
    throw err;
  }
}

export async function runSetup(ctx: Context, code: string, dataset: Dataset): Promise<InstallResult & { admin: string }> {
  const expected = ctx.setupCode?.();
  if (!expected) throw forbidden('本环境尚未配置设置码，请先在云开发控制台为 admin 云函数配置环境变量后再试');
  if (expected.length < MIN_SETUP_CODE_LENGTH) throw forbidden(`配置的设置码太短（至少 ${MIN_SETUP_CODE_LENGTH} 位），请在控制台更换一个更长的随机设置码`);
  if (!sameCode(code, expected)) throw forbidden('设置码不正确');
  const hash = codeHash(expected);
  const spentMessage = '该设置码已使用过；如需再设管理员，请在控制台更换设置码';
  if (isSpent(await readSetupRecord(ctx.db), hash)) throw forbidden(spentMessage);

  const installed = await installDistrict(ctx.db, ctx.clock, dataset);
  const now = ctx.clock.now().toISOString();
  // Re-read inside the transaction: two callers racing with the same code both
  // get past the check above, and only one of them may become admin.
  await inTransaction(ctx.db, async (tx) => {
    const record = await getDoc<SetupRecord>(tx, 'settings', 'setup');
    if (isSpent(record, hash)) throw forbidden(spentMessage);
    const user = await getDoc<UserDoc>(tx, 'users', ctx.openid);
    const { _id: _user, ...fields } = user ?? { _id: ctx.openid, roles: [], unitCodes: [], headOf: [], createdAt: now, updatedAt: now };
    await tx.collection('users').doc(ctx.openid).set({
      data: { ...fields, roles: fields.roles.includes('admin') ? fields.roles : [...fields.roles, 'admin'], updatedAt: now },
    });
    const earlier = record ? [...(record.earlier ?? []), { spentAt: record.spentAt, spentBy: record.spentBy, codeHash: record.codeHash }] : [];
    await tx.collection('settings').doc('setup').set({ data: { spentAt: now, spentBy: ctx.openid, codeHash: hash, earlier } });
  });
  return { admin: ctx.openid, ...installed };
}

/** The action for a data set; the deployed table uses the bundled one. */
export const setupAction = (dataset: Dataset) =>
  defineAction({
    // Anyone signed in: the code, not a role, is what lets a caller set up.
    roles: 'signedIn',
    input: z.object({ code: z.string().trim().min(1, '请填写设置码').max(200, '设置码不能超过 200 个字符') }),
    run: (ctx, { code }) => runSetup(ctx, code, dataset),
  });

/** Deployed: the district's configuration only, never the demo (server/seed/demo.ts). */
export const setup = setupAction(DISTRICT);
