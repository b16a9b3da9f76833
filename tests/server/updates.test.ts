/**
 * Nested updates that mean what they say (issue: "nested updates"). CloudBase
 * merges an object given to update() field by field (wx-server-sdk flattens
 * it into dotted paths before it leaves the function), so an update meant to
 * replace an object must say so with db.command.set. The local store applies
 * those paths as CloudBase does, including its refusals; a scan of the server
 * code finds every update that hands an object to a field without `set`.
 */
import { readdirSync, statSync } from 'fs';
import { join, relative } from 'path';
import * as ts from 'typescript';
import { getDoc } from '../../server/core/tx';
import { startHarness, type Harness } from './harness';

const OWNER = 'demo-enterprise';
const report = { employeesTotal: 320, employeesBack: 240, capacityPercent: 75, resumed: true };

describe('the store applies an update as CloudBase does', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    await h.db.collection('zones').add({ data: { _id: 'z', name: '区域', kind: 'park', order: 1, meta: { a: 1, b: 2 }, label: 'x', empty: null } });
  });
  afterEach(() => h.close());
  const zone = async () => (await getDoc<any>(h.db, 'zones', 'z'))!;

  test('an object in update() merges field by field; db.command.set replaces it; set() replaces the document', async () => {
    await h.db.collection('zones').doc('z').update({ data: { meta: { b: 3, c: 4 } } });
    expect((await zone()).meta).toEqual({ a: 1, b: 3, c: 4 });
    await h.db.collection('zones').doc('z').update({ data: { meta: h.db.command.set({ c: 5 }) } });
    expect((await zone()).meta).toEqual({ c: 5 });
    await h.db.collection('zones').where({ _id: 'z' }).update({ data: { meta: { d: 6 } } });
    expect((await zone()).meta).toEqual({ c: 5, d: 6 });
    await h.db.collection('zones').doc('z').set({ data: { name: '区域', kind: 'park', order: 1 } });
    expect(await zone()).toEqual({ _id: 'z', name: '区域', kind: 'park', order: 1 });
  });

  test('a path through a value that is not an object is refused, not silently dropped or overwritten', async () => {
    const refusal = (p: Promise<unknown>) => p.then(() => 'answered', (e: Error) => e.message);
    expect(await refusal(h.db.collection('zones').doc('z').update({ data: { label: { part: 1 } } }))).toMatch(/Cannot create field 'part' in element \{label: "x"\}/);
    expect(await refusal(h.db.collection('zones').doc('z').update({ data: { empty: { part: 1 } } }))).toMatch(/Cannot create field 'part' in element \{empty: null\}/);
    const z = await zone();
    expect([z.label, z.empty]).toEqual(['x', null]);
    // Replacing the value itself is what db.command.set is for.
    await h.db.collection('zones').doc('z').update({ data: { empty: h.db.command.set({ part: 1 }) } });
    expect((await zone()).empty).toEqual({ part: 1 });
  });
});

test('a later status report without difficulties shows none', async () => {
  const h = await startHarness();
  try {
    await h.ok('enterprise', 'reportStatus', { ...report, difficulties: '缺少原材料，物流不畅' }, OWNER);
    expect((await h.ok('enterprise', 'get', {}, OWNER)).latestStatus.difficulties).toBe('缺少原材料，物流不畅');
    await h.ok('enterprise', 'reportStatus', { ...report, employeesBack: 300 }, OWNER);
    const latest = (await h.ok('enterprise', 'get', {}, OWNER)).latestStatus;
    expect(latest).toMatchObject({ employeesBack: 300 });
    expect(latest.difficulties).toBeUndefined();
  } finally {
    h.close();
  }
});

// ---- the scan -------------------------------------------------------------

const root = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'local' ? [] : sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Whether a value of this type is an object CloudBase would merge: not a primitive, array, Date or db.command. */
function isMergedObject(checker: ts.TypeChecker, type: ts.Type): boolean {
  const parts = type.isUnion() ? type.types : [type];
  return parts.some((t) => {
    if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never)) return false;
    if (!(t.flags & ts.TypeFlags.Object)) return false;
    if (checker.isArrayType(t) || checker.isTupleType(t)) return false;
    const name = (t.aliasSymbol ?? t.getSymbol())?.getName() ?? '';
    return !['Date', 'DatabaseUpdateCommand', 'RegExp'].includes(name);
  });
}

/**
 * Every `.update({ data })` in server/ (the local runtime aside) whose data
 * gives some field an object value: `file:line field`.
 */
function mergingUpdates(): string[] {
  const files = sources(join(root, 'server'));
  const program = ts.createProgram(files, { strict: true, target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS, esModuleInterop: true, resolveJsonModule: true, skipLibCheck: true, noEmit: true, types: ['node'] });
  const checker = program.getTypeChecker();
  const found: string[] = [];
  for (const file of files) {
    const sf = program.getSourceFile(file)!;
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'update') {
        const [arg] = node.arguments;
        const dataProp = arg && ts.isObjectLiteralExpression(arg) ? arg.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === 'data') : undefined;
        const data = dataProp && (ts.isPropertyAssignment(dataProp) ? dataProp.initializer : ts.isShorthandPropertyAssignment(dataProp) ? dataProp.name : undefined);
        if (data) {
          for (const prop of checker.getTypeAtLocation(data).getProperties()) {
            if (isMergedObject(checker, checker.getTypeOfSymbolAtLocation(prop, data))) {
              const { line } = sf.getLineAndCharacterOfPosition(node.getStart());
              found.push(`${relative(root, file)}:${line + 1} ${prop.getName()}`);
            }
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return found;
}

test('every update that gives a field an object replaces it with db.command.set (or writes its fields one by one)', () => {
  expect(mergingUpdates()).toEqual([]);
}, 60_000);
