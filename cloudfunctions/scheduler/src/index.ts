import { cloudEntry } from '../../../server/functions/entry';
import { schedulerActions } from '../../../server/functions/scheduler';
import { runScheduler } from '../../../server/scheduler/run';

export const main = cloudEntry('scheduler', schedulerActions, runScheduler);
