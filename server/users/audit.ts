/**
 * The audit trail of access given and taken back: every grant by an invite
 * (and its re-grant after a stop), every registration, role revocation,
 * invite withdrawal and member removal, every enterprise an admin reassigned
 * or retired; append-only. Admins read it newest first.
 * Written after the change it records (never before: an entry must not claim
 * what did not happen); a crash between the two loses the entry, not the
 * revocation, and the revocation is what protects the district.
 */
import { z } from 'zod';
import type { AuditAction, AuditEntry, Role } from '../../typings/api';
import { defineAction } from '../core/actions';
import type { Context } from '../core/ports';
import { newDocId } from '../core/ids';
import { getDoc } from '../core/tx';
import { pageBy } from '../core/paging';
import { district, taskForceName, unitName } from '../config/district';
import { membershipOf, type StoredUser } from './memberships';

const ACTIONS: readonly AuditAction[] = [
  'grant',
  'regrant',
  'register',
  'revoke',
  'revokeInvite',
  'removeMember',
  'reassignEnterprise',
  'retireEnterprise',
];

interface AuditDoc extends Omit<AuditEntry, 'id'> {
  _id: string;
}

const ROLE_TITLES: Record<Role, string> = { admin: '管理员', enterprise: '企业负责人', unit: '单位成员', taskforce: '专班成员' };

/** The actor as people know them: the name their admin (or enterprise) invite carried, else their role. */
async function actorName(ctx: Pick<Context, 'db' | 'openid' | 'session'>): Promise<string> {
  const role: Role = ctx.session.roles.includes('admin') ? 'admin' : (ctx.session.roles[0] ?? 'enterprise');
  const user = await getDoc<StoredUser>(ctx.db, 'users', ctx.openid);
  return (user && membershipOf(user, role)?.name) || ROLE_TITLES[role];
}

let written = 0;

/**
 * Entries are listed by `at`, then `_id`, newest first: the id starts with a
 * count of this instance's entries, so two entries of one millisecond (a
 * grant and the revocation right after it, under a test's fixed clock) still
 * list in the order they were written.
 */
function auditId(): string {
  return `${(written++).toString(36).padStart(8, '0')}${newDocId().slice(0, 16)}`;
}

export async function writeAudit(
  ctx: Pick<Context, 'db' | 'clock' | 'openid' | 'session'>,
  entry: {
    action: AuditAction;
    target?: string;
    targetName?: string;
    /** Known already (a redeemer is named by their invite): saves the read of the actor's document. */
    actorName?: string;
    /** Not the caller: the system itself (an invite withdrawn because its issuer lost their hold). */
    actor?: string;
    details: AuditEntry['details'];
  },
): Promise<void> {
  const doc: AuditDoc = {
    _id: auditId(),
    at: ctx.clock.now().toISOString(),
    action: entry.action,
    actor: entry.actor ?? ctx.openid,
    actorName: entry.actorName ?? (await actorName(ctx)),
    details: entry.details,
  };
  if (entry.target) doc.target = entry.target;
  if (entry.targetName) doc.targetName = entry.targetName;
  await ctx.db.collection('auditLog').add({ data: doc });
}

export const auditLog = defineAction({
  roles: ['admin'],
  input: z.object({ cursor: z.string().max(500).optional() }),
  async run(ctx, { cursor }) {
    const _ = ctx.db.command;
    const page = await pageBy<AuditDoc>(ctx.db, 'auditLog', { action: _.in([...ACTIONS]) }, [['at', 'desc']], cursor);
    const d = await district(ctx);
    const items: AuditEntry[] = page.docs.map(({ _id, ...doc }) => {
      const details = { ...doc.details };
      if (details.unitCode) details.unitName = unitName(d, details.unitCode);
      if (details.taskForceId) details.taskForceName = taskForceName(d, details.taskForceId);
      return { id: _id, ...doc, details };
    });
    return page.nextCursor ? { items, nextCursor: page.nextCursor } : { items };
  },
});
