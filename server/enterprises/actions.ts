import { z } from 'zod';
import type { EnterpriseOptions, Session } from '../../typings/api';
import { INDUSTRY_LABELS } from '../../typings/labels';
import { defineAction } from '../core/actions';
import { conflict, forbidden, invalid, notFound } from '../core/errors';
import type { Context, Db } from '../core/ports';
import { countOf, docsOf, getDoc, inTransaction } from '../core/tx';
import { newDocId } from '../core/ids';
import { taskForceCovers } from '../access/zones';
import { isAdmin, type UserDoc } from '../access/session';
import { blankUser } from '../users/invites';
import { enterpriseInput } from './schema';
import { maskPhone, toEnterprise, type EnterpriseDoc } from './store';
import { INDUSTRIES } from './schema';

const MEMBER_UNIT_KINDS = ['chamber', 'association'];

interface NamedDoc {
  _id: string;
  name: string;
  kind?: string;
  order?: number;
}

async function listNamed(db: Db, collection: string, where: Record<string, unknown> = {}): Promise<NamedDoc[]> {
  return docsOf<NamedDoc>(db.collection(collection).where(where).orderBy('order', 'asc').limit(1000));
}

export async function enterpriseOptions(db: Db): Promise<EnterpriseOptions> {
  const _ = db.command;
  const [zones, chambers] = await Promise.all([
    listNamed(db, 'zones'),
    listNamed(db, 'units', { kind: _.in(MEMBER_UNIT_KINDS) }),
  ]);
  return {
    industries: INDUSTRIES.map((code) => ({ code, name: INDUSTRY_LABELS[code] })),
    zones: zones.map((z) => ({ code: z._id, name: z.name })),
    chambers: chambers.map((c) => ({ code: c._id, name: c.name })),
  };
}

export const options = defineAction({
  roles: 'signedIn',
  input: z.object({}),
  run: (ctx) => enterpriseOptions(ctx.db),
});

export const register = defineAction({
  roles: 'signedIn',
  perMinute: 10,
  input: enterpriseInput,
  async run(ctx, input) {
    if (ctx.session.enterpriseId) throw conflict('您已登记过企业，无需重复登记');
    const known = await enterpriseOptions(ctx.db);
    if (!known.zones.some((z) => z.code === input.zone)) throw invalid('所在区域不存在，请重新选择', 'zone');
    const unknownChamber = input.chamberCodes.find((c) => !known.chambers.some((k) => k.code === c));
    if (unknownChamber) throw invalid(`商会「${unknownChamber}」不存在`, 'chamberCodes');

    const now = ctx.clock.now().toISOString();
    const doc = await inTransaction(ctx.db, async (tx) => {
      // creditCodes/{code} is the uniqueness index: two registrations of one code conflict in the commit.
      const taken = await getDoc<{ enterpriseId: string }>(tx, 'creditCodes', input.creditCode);
      if (taken) {
        const owner = await getDoc<EnterpriseDoc>(tx, 'enterprises', taken.enterpriseId);
        const who = owner ? `${owner.contactName}（${maskPhone(owner.contactPhone)}）` : '该企业联系人';
        throw conflict(`该统一社会信用代码已登记为「${owner?.name ?? '已有企业'}」，请联系 ${who} 邀请您加入`);
      }
      const enterpriseId = newDocId();
      await tx.collection('enterprises').add({
        data: { _id: enterpriseId, ...input, verified: false, lastVisitAt: '', ownerOpenid: ctx.openid, createdAt: now, updatedAt: now },
      });
      await tx.collection('creditCodes').doc(input.creditCode).set({ data: { enterpriseId, createdAt: now } });
      const user = (await getDoc<UserDoc>(tx, 'users', ctx.openid)) ?? blankUser(ctx.openid, now);
      const { _id, ...fields } = user;
      await tx
        .collection('users')
        .doc(_id)
        .set({
          data: {
            ...fields,
            roles: fields.roles.includes('enterprise') ? fields.roles : [...fields.roles, 'enterprise'],
            enterpriseId,
            updatedAt: now,
          },
        });
      return { _id: enterpriseId, ...input, verified: false, lastVisitAt: '', ownerOpenid: ctx.openid, createdAt: now, updatedAt: now };
    });
    return toEnterprise(doc as EnterpriseDoc, { phone: true });
  },
});

/** Whether the caller may see the enterprise at all, and its phone in full. */
export async function enterpriseAccess(ctx: Context, e: EnterpriseDoc): Promise<{ read: boolean; phone: boolean }> {
  const s: Session = ctx.session;
  if (s.enterpriseId === e._id) return { read: true, phone: true };
  if (await taskForceCovers(ctx, e.zone)) return { read: true, phone: true };
  if (s.unitCodes.length) {
    const _ = ctx.db.command;
    const handled = await countOf(ctx.db.collection('needs').where({ enterpriseId: e._id, unitCode: _.in(s.unitCodes) }));
    if (handled > 0) return { read: true, phone: true };
  }
  if (isAdmin(s)) return { read: true, phone: false };
  return { read: false, phone: false };
}

export const get = defineAction({
  roles: 'signedIn',
  input: z.object({ enterpriseId: z.string().min(1).optional() }),
  async run(ctx, { enterpriseId }) {
    const id = enterpriseId ?? ctx.session.enterpriseId;
    if (!id) throw notFound('您还没有登记企业');
    const doc = await getDoc<EnterpriseDoc>(ctx.db, 'enterprises', id);
    if (!doc) throw notFound('企业不存在');
    const access = await enterpriseAccess(ctx, doc);
    if (!access.read) throw forbidden('无权查看该企业');
    return toEnterprise(doc, { phone: access.phone, identities: isAdmin(ctx.session) });
  },
});
