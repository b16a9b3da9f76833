/**
 * The district this build sets up: Dadukou (大渡口区), its configuration only
 * (units, zones, task forces, routing rules, settings, policies, holidays).
 * This is what the deployed admin.setup installs: no enterprise and no person
 * — real enterprises register or are imported, real people redeem invite
 * codes, and the first admin comes from the setup code. The demo's
 * enterprises and identities are a separate data set (./demo.ts) that only
 * `npm start` and the tests load.
 *
 * Another district writes its own folder of files beside `dadukou/` and
 * points these imports at it; the files are bundled into the functions, so
 * nothing is read from disk in the cloud.
 */
import type { Dataset } from '../setup/dataset';
import units from './dadukou/units.json';
import zones from './dadukou/zones.json';
import taskForces from './dadukou/taskForces.json';
import routingRules from './dadukou/routingRules.json';
import settings from './dadukou/settings.json';
import policies from './dadukou/policies.json';
import holidays from './dadukou/holidays.json';

export const DISTRICT: Dataset = {
  name: 'dadukou',
  files: {
    'units.json': units,
    'zones.json': zones,
    'taskForces.json': taskForces,
    'routingRules.json': routingRules,
    'settings.json': settings,
    'policies.json': policies,
    'holidays.json': holidays,
  },
};
