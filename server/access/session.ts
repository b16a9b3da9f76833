import type { Role, Session } from '../../typings/api';
import type { Db } from '../core/ports';
import { getDoc } from '../core/tx';
import { forbidden } from '../core/errors';
import { isCollectionMissing } from '../db/collections';

/** The users collection, keyed by OPENID: the roles a person holds and where. */
export interface UserDoc {
  _id: string;
  roles: Role[];
  enterpriseId?: string;
  unitCodes: string[];
  headOf: string[];
  taskForceId?: string;
  createdAt: string;
  updatedAt: string;
}

export function sessionOf(openid: string, user: UserDoc | null): Session {
  return {
    openid,
    roles: user?.roles ?? [],
    enterpriseId: user?.enterpriseId,
    unitCodes: user?.unitCodes ?? [],
    headOf: user?.headOf ?? [],
    taskForceId: user?.taskForceId,
  };
}

/** The person's document, or null for someone never seen (or an environment not set up yet). */
export async function loadUser(db: Db, openid: string): Promise<UserDoc | null> {
  try {
    return await getDoc<UserDoc>(db, 'users', openid);
  } catch (err) {
    // An environment not set up yet has no `users`: its only caller is the one running admin.setup.
    if (isCollectionMissing(err)) return null;
    throw err;
  }
}

export const isAdmin = (s: Session) => s.roles.includes('admin');

export function requireEnterprise(s: Session): string {
  if (!s.enterpriseId) throw forbidden('请先登记企业信息');
  return s.enterpriseId;
}
