/** The docs are drawn from the tables the code runs on; this keeps them from drifting apart. */
import { readFileSync } from 'fs';
import { join } from 'path';
import { LIFECYCLE } from '../../server/needs/lifecycle';
import { functions } from '../../server/functions';

const read = (file: string) => readFileSync(join(__dirname, '..', '..', file), 'utf8');

test('docs/lifecycle.md names every lifecycle action', () => {
  const doc = read('docs/lifecycle.md');
  const named: Record<string, string> = { expireLease: 'lease expiry', escalate: 'escalat' };
  for (const action of Object.keys(LIFECYCLE)) expect(doc).toContain(named[action] ?? action);
});

test('docs/architecture.md lists every function, and each has a deployable folder', () => {
  const doc = read('docs/architecture.md');
  for (const fn of Object.keys(functions)) {
    expect(doc).toContain(`\`${fn}\``);
    expect(read(`cloudfunctions/${fn}/src/index.ts`)).toContain(`server/functions/${fn}`);
  }
});
