/** The ground floor stays the ground floor (docs/architecture.md): server/core imports nothing of the domains above it. */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

const core = join(__dirname, '..', '..', 'server', 'core');

test('server/core imports only itself, the shared typings and packages', () => {
  const upward: string[] = [];
  for (const file of readdirSync(core).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(join(core, file), 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s+['"](\.[^'"]*)['"]/g)) {
      const spec = m[1];
      if (spec.startsWith('./') || spec.startsWith('../../typings/')) continue;
      upward.push(`${file} → ${spec}`);
    }
  }
  expect(upward).toEqual([]);
});
