import { z } from 'zod';
import { defineAction } from '../core/actions';
import { getDoc } from '../core/tx';
import { sessionOf, type UserDoc } from '../access/session';
import { blankUser } from './invites';

export const login = defineAction({
  roles: 'signedIn',
  input: z.object({}),
  async run(ctx) {
    // First sight of a person records them, so admins can see who opened the app.
    const existing = await getDoc<UserDoc>(ctx.db, 'users', ctx.openid);
    if (!existing) {
      const { _id, ...fields } = blankUser(ctx.openid, ctx.clock.now().toISOString());
      await ctx.db.collection('users').doc(_id).set({ data: fields });
    }
    return sessionOf(ctx.openid, existing);
  },
});
