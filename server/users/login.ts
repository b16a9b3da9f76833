import { z } from 'zod';
import { defineAction } from '../core/actions';
import { getDoc, isDuplicateWrite } from '../core/tx';
import { sessionOf, type UserDoc } from '../access/session';
import { blankUser } from './invites';

export const login = defineAction({
  roles: 'signedIn',
  input: z.object({}),
  async run(ctx) {
    // The dispatcher already read the person.
    if (ctx.known) return ctx.session;
    // First sight of a person records them (admins can see who opened the app). The insert is
    // its own check: if the document exists — a returning person, or a registration that raced
    // this first login — it fails and the stored document, with any role it gained, is answered.
    try {
      await ctx.db.collection('users').add({ data: blankUser(ctx.openid, ctx.clock.now().toISOString()) });
      return ctx.session;
    } catch (err) {
      if (!isDuplicateWrite(err)) throw err;
      return sessionOf(ctx.openid, await getDoc<UserDoc>(ctx.db, 'users', ctx.openid));
    }
  },
});
