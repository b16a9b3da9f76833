/**
 * After registration: the owner edits the enterprise, reports its resumption
 * status (the ledger keeps every report), and a task-force member of its zone
 * or an admin verifies it.
 */
import { z } from 'zod';
import type { Context } from '../core/ports';
import { defineAction } from '../core/actions';
import { forbidden, invalid, notFound } from '../core/errors';
import { newDocId } from '../core/ids';
import { getDoc, inTransaction } from '../core/tx';
import { isAdmin } from '../access/session';
import { taskForceCovers } from '../access/zones';
import { enterpriseInput } from './schema';
import { toEnterprise, type EnterpriseDoc } from './store';
import { enterpriseOptions } from './actions';

async function load(ctx: Context, id: string): Promise<EnterpriseDoc> {
  const doc = await getDoc<EnterpriseDoc>(ctx.db, 'enterprises', id);
  if (!doc) throw notFound('企业不存在');
  return doc;
}


/** The credit code is the enterprise's identity: it never changes after registration. */
const updateInput = enterpriseInput.omit({ creditCode: true }).partial();

export const update = defineAction({
  roles: ['enterprise'],
  input: updateInput,
  async run(ctx, input) {
    const id = ctx.session.enterpriseId;
    if (!id) throw forbidden('请先登记企业信息');
    if (!Object.keys(input).length) throw invalid('没有需要修改的内容');
    const known = await enterpriseOptions(ctx.db);
    if (input.zone && !known.zones.some((z) => z.code === input.zone)) throw invalid('所在区域不存在，请重新选择', 'zone');
    const unknownChamber = input.chamberCodes?.find((c) => !known.chambers.some((k) => k.code === c));
    if (unknownChamber) throw invalid(`商会「${unknownChamber}」不存在`, 'chamberCodes');
    const current = await load(ctx, id);
    const changes = { ...input, updatedAt: ctx.clock.now().toISOString() };
    await ctx.db.collection('enterprises').doc(id).update({ data: changes });
    return toEnterprise({ ...current, ...changes }, true);
  },
});

export const reportStatus = defineAction({
  roles: ['enterprise', 'taskforce'],
  input: z
    .object({
      /** Task-force members report on behalf of an enterprise of their zone. */
      enterpriseId: z.string().min(1).optional(),
      employeesTotal: z.number().int().min(0, '员工总数不能为负数'),
      employeesBack: z.number().int().min(0, '返岗人数不能为负数'),
      capacityPercent: z.number().min(0, '产能应在 0–100 之间').max(100, '产能应在 0–100 之间'),
      resumed: z.boolean(),
      difficulties: z.string().trim().max(1000).optional(),
    })
    .refine((r) => r.employeesBack <= r.employeesTotal, { message: '返岗人数不能超过员工总数', path: ['employeesBack'] }),
  async run(ctx, input) {
    const { enterpriseId: requested, ...report } = input;
    const id = requested ?? ctx.session.enterpriseId;
    if (!id) throw forbidden('请先登记企业信息');
    const e = await load(ctx, id);
    const own = ctx.session.enterpriseId === id;
    if (!own && !(await taskForceCovers(ctx, e.zone))) throw forbidden('只能为本专班辖区的企业填报');
    const at = ctx.clock.now().toISOString();
    const doc = { _id: newDocId(), enterpriseId: id, zone: e.zone, industry: e.industry, ...report, reportedBy: ctx.openid, role: own ? 'enterprise' : 'taskforce', at };
    await inTransaction(ctx.db, async (tx) => {
      await tx.collection('statusReports').add({ data: doc });
      await tx.collection('enterprises').doc(id).update({ data: { latestStatus: { ...report, at }, updatedAt: at } });
    });
    const { _id, ...fields } = doc;
    return { id: _id, ...fields };
  },
});

export const verify = defineAction({
  roles: ['taskforce', 'admin'],
  input: z.object({ enterpriseId: z.string().min(1) }),
  async run(ctx, { enterpriseId }) {
    const e = await load(ctx, enterpriseId);
    if (!isAdmin(ctx.session) && !(await taskForceCovers(ctx, e.zone))) throw forbidden('只能核实本专班辖区的企业');
    const at = ctx.clock.now().toISOString();
    await ctx.db.collection('enterprises').doc(enterpriseId).update({ data: { verified: true, verifiedBy: ctx.openid, verifiedAt: at, updatedAt: at } });
    // Handlers see the mark on each need; repeating verify repairs any need a failure here left behind.
    await ctx.db.collection('needs').where({ enterpriseId, enterpriseVerified: false }).update({ data: { enterpriseVerified: true } });
    return toEnterprise({ ...e, verified: true, updatedAt: at }, true);
  },
});
