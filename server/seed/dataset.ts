/**
 * The district this build sets up: the Dadukou (大渡口区) demo. Another
 * district writes its own folder of files beside `dadukou/` and points these
 * imports at it (leaving out enterprises.json and users.json, which only the
 * demo has); the files are bundled into the functions, so nothing is read
 * from disk in the cloud.
 */
import type { Dataset } from '../setup/dataset';
import units from './dadukou/units.json';
import zones from './dadukou/zones.json';
import taskForces from './dadukou/taskForces.json';
import routingRules from './dadukou/routingRules.json';
import settings from './dadukou/settings.json';
import policies from './dadukou/policies.json';
import holidays from './dadukou/holidays.json';
import enterprises from './dadukou/enterprises.json';
import users from './dadukou/users.json';

export const DATASET: Dataset = {
  name: 'dadukou',
  files: {
    'units.json': units,
    'zones.json': zones,
    'taskForces.json': taskForces,
    'routingRules.json': routingRules,
    'settings.json': settings,
    'policies.json': policies,
    'holidays.json': holidays,
    'enterprises.json': enterprises,
    'users.json': users,
  },
};
