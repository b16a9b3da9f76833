/**
 * The demo: the district's configuration plus ten fictitious enterprises and
 * the demo identities the README's curl stories use (`demo-admin`,
 * `demo-enterprise`, …). Loaded by `npm start` (unless DEMO=0) and by the
 * tests, never by the deployed functions: nothing under server/functions
 * imports this module, and a test keeps it out of every bundle.
 */
import type { Dataset } from '../setup/dataset';
import { DISTRICT } from './dataset';
import enterprises from './demo/enterprises.json';
import users from './demo/users.json';

export const DEMO: Dataset = {
  name: `${DISTRICT.name}-demo`,
  files: { ...DISTRICT.files, 'enterprises.json': enterprises, 'users.json': users },
};
