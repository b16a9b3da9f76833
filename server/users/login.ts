import { z } from 'zod';
import { defineAction } from '../core/actions';
import { getDoc, inTransaction } from '../core/tx';
import { sessionOf, type UserDoc } from '../access/session';
import { blankUser } from './invites';

export const login = defineAction({
  roles: 'signedIn',
  input: z.object({}),
  async run(ctx) {
    const existing = await getDoc<UserDoc>(ctx.db, 'users', ctx.openid);
    if (existing) return sessionOf(ctx.openid, existing);
    // First sight of a person records them (admins can see who opened the app). Created only if
    // still absent at commit, so a registration racing this first login never loses its role.
    const user = await inTransaction(ctx.db, async (tx) => {
      const raced = await getDoc<UserDoc>(tx, 'users', ctx.openid);
      if (raced) return raced;
      const fresh = blankUser(ctx.openid, ctx.clock.now().toISOString());
      await tx.collection('users').add({ data: fresh });
      return fresh;
    });
    return sessionOf(ctx.openid, user);
  },
});
