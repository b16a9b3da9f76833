/**
 * After registration: the owner edits the enterprise, reports its resumption
 * status (the ledger keeps every report), and a task-force member of its zone
 * or an admin verifies it.
 */
import { z } from 'zod';
import type { GeoPoint } from '../../typings/api';
import type { Context } from '../core/ports';
import { defineAction } from '../core/actions';
import { conflict, forbidden, invalid, notFound } from '../core/errors';
import { newDocId } from '../core/ids';
import { getDoc, inTransaction } from '../core/tx';
import { isAdmin } from '../access/session';
import { taskForceCovers } from '../access/zones';
import { percent, text } from '../core/validation';
import { employeeCount, enterpriseInput } from './schema';
import { toEnterprise, type EnterpriseDoc } from './store';
import { enterpriseOptions } from './actions';

async function load(ctx: Context, id: string): Promise<EnterpriseDoc> {
  const doc = await getDoc<EnterpriseDoc>(ctx.db, 'enterprises', id);
  if (!doc) throw notFound('企业不存在');
  return doc;
}


/**
 * The verified mark vouches for one name, one credit code and one position:
 * changing any clears it (and its mark on the enterprise's needs) until a task
 * force or an admin verifies again. The position vouched for is kept
 * (`verifiedLocation`): visits are measured from it meanwhile, so moving the
 * pin 40 km does not make honest visits read as off-site. A corrected credit code moves the creditCodes lock in
 * the same transaction, so two enterprises can never hold one code.
 */
const updateInput = enterpriseInput.partial();

const VERIFICATION_FIELDS = ['verifiedBy', 'verifiedByName', 'verifiedAt'] as const;

const samePoint = (a: GeoPoint | undefined, b: GeoPoint | undefined) => !!a && !!b && a.latitude === b.latitude && a.longitude === b.longitude;

export const update = defineAction({
  roles: ['enterprise'],
  input: updateInput,
  async run(ctx, input) {
    const id = ctx.session.enterpriseId;
    if (!id) throw forbidden('请先登记企业信息');
    if (!Object.keys(input).length) throw invalid('没有需要修改的内容');
    const known = await enterpriseOptions(ctx);
    if (input.zone && !known.zones.some((z) => z.code === input.zone)) throw invalid('所在区域不存在，请重新选择', 'zone');
    const unknownChamber = input.chamberCodes?.find((c) => !known.chambers.some((k) => k.code === c));
    if (unknownChamber) throw invalid(`商会「${unknownChamber}」不存在`, 'chamberCodes');
    const now = ctx.clock.now().toISOString();
    const next = await inTransaction(ctx.db, async (tx) => {
      const current = await getDoc<EnterpriseDoc>(tx, 'enterprises', id);
      if (!current) throw notFound('企业不存在');
      const renamed = input.name !== undefined && input.name !== current.name;
      const recoded = input.creditCode !== undefined && input.creditCode !== current.creditCode;
      const moved = input.location !== undefined && !samePoint(input.location, current.location);
      if (recoded) {
        const code = input.creditCode!;
        const taken = await getDoc<{ enterpriseId: string }>(tx, 'creditCodes', code);
        if (taken && taken.enterpriseId !== id) throw conflict('该统一社会信用代码已由其他企业登记，请核对营业执照');
        const old = await getDoc<{ enterpriseId: string }>(tx, 'creditCodes', current.creditCode);
        if (old?.enterpriseId === id) await tx.collection('creditCodes').doc(current.creditCode).remove();
        await tx.collection('creditCodes').doc(code).set({ data: { enterpriseId: id, createdAt: now } });
      }
      const { _id, ...fields } = current;
      const next: Omit<EnterpriseDoc, '_id'> = { ...fields, ...input, updatedAt: now };
      if (renamed || recoded || moved) {
        // A mark given before verifiedLocation existed vouched for the position then held.
        if (moved && current.verified && !current.verifiedLocation) next.verifiedLocation = current.location;
        for (const k of VERIFICATION_FIELDS) delete next[k];
        next.verified = false;
      }
      await tx.collection('enterprises').doc(id).set({ data: next });
      return { _id: id, ...next } as EnterpriseDoc;
    });
    // Handlers see the mark on each need; as with verify, the next update repairs any need a failure here left behind.
    if (!next.verified) {
      await ctx.db.collection('needs').where({ enterpriseId: id, enterpriseVerified: true }).update({ data: { enterpriseVerified: false } });
    }
    return toEnterprise(next, { phone: true });
  },
});

export const reportStatus = defineAction({
  roles: ['enterprise', 'taskforce'],
  input: z
    .object({
      /** Task-force members report on behalf of an enterprise of their zone. */
      enterpriseId: z.string().min(1).max(64).optional(),
      employeesTotal: employeeCount(),
      employeesBack: employeeCount(),
      capacityPercent: percent(),
      resumed: z.boolean(),
      difficulties: text({ max: 1000, multiline: true }).optional(),
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
      // Replaced, not merged: a report without difficulties must not keep the previous report's.
      await tx.collection('enterprises').doc(id).update({ data: { latestStatus: ctx.db.command.set({ ...report, at }), updatedAt: at } });
    });
    const { _id, ...fields } = doc;
    return { id: _id, ...fields };
  },
});

export const verify = defineAction({
  roles: ['taskforce', 'admin'],
  input: z.object({ enterpriseId: z.string().min(1).max(64) }),
  async run(ctx, { enterpriseId }) {
    const e = await load(ctx, enterpriseId);
    let verifiedByName = '区工商联';
    if (!isAdmin(ctx.session)) {
      const tf = ctx.session.taskForceId ? await getDoc<{ name: string; zoneCodes: string[] }>(ctx.db, 'taskForces', ctx.session.taskForceId) : null;
      if (!tf?.zoneCodes.includes(e.zone)) throw forbidden('只能核实本专班辖区的企业');
      verifiedByName = tf.name;
    }
    const at = ctx.clock.now().toISOString();
    if ((e as { retiredAt?: string }).retiredAt) throw conflict('该企业已注销登记，不能核实');
    const mark = {
      verified: true,
      verifiedBy: ctx.openid,
      verifiedByName,
      verifiedAt: at,
      ...(e.location ? { verifiedLocation: ctx.db.command.set(e.location) } : {}),
      updatedAt: at,
    };
    // Compare-and-set: the mark vouches for the name, code and position the verifier saw, not for a change made meanwhile.
    const where: Record<string, unknown> = { _id: enterpriseId, name: e.name, creditCode: e.creditCode };
    if (e.location) Object.assign(where, { 'location.latitude': e.location.latitude, 'location.longitude': e.location.longitude });
    const res = (await ctx.db
      .collection('enterprises')
      .where(where as never)
      .update({ data: mark })) as { stats: { updated: number } };
    if (res.stats.updated !== 1) throw conflict('企业名称、信用代码或位置刚被修改，请刷新后重新核实');
    // Handlers see the mark on each need; repeating verify repairs any need a failure here left behind.
    await ctx.db.collection('needs').where({ enterpriseId, enterpriseVerified: false }).update({ data: { enterpriseVerified: true } });
    const verified: EnterpriseDoc = { ...e, verified: true, verifiedBy: ctx.openid, verifiedByName, verifiedAt: at, updatedAt: at };
    if (e.location) verified.verifiedLocation = e.location;
    return toEnterprise(verified, { phone: true, identities: isAdmin(ctx.session) });
  },
});
