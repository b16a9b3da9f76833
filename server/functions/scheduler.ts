import { z } from 'zod';
import { defineAction, type ActionTable } from '../core/actions';
import { runScheduler } from '../scheduler/run';

/** The timer runs the scheduler without a caller (see functions/entry.ts); admins may also run it by hand. */
export const schedulerActions: ActionTable = {
  run: defineAction({
    roles: ['admin'],
    input: z.object({}),
    run: (ctx) => runScheduler(ctx),
  }),
};
