/**
 * The setup step of `npm start`: the same installDistrict a deployment runs
 * through admin.setup, with the demo data set, and a setup code kept in
 * DATA_DIR so the local path also makes its first admin with a code.
 */
import type { Ports } from '../core/ports';
import { getDoc } from '../core/tx';
import { isCollectionMissing } from '../db/collections';
import { DEMO } from '../seed/demo';
import type { Dataset } from './dataset';
import { installDistrict, type InstallResult } from './install';
import { codeHash, ensureSetupCode, SETUP_CODE_FILE } from './code';
import { isSpent, readSetupRecord } from './action';

export interface LocalSetup {
  /** What setup did, or null when DATA_DIR already held a set-up database. */
  installed: InstallResult | null;
  code: string;
  /** What npm start prints. */
  lines: string[];
}

async function isInstalled(ports: Ports): Promise<boolean> {
  try {
    return Boolean(await getDoc(ports.db, 'settings', 'global'));
  } catch (err) {
    if (isCollectionMissing(err)) return false;
    throw err;
  }
}

export async function setUpLocal(ports: Ports, dataDir: string, port: number, dataset: Dataset = DEMO): Promise<LocalSetup> {
  const { code } = ensureSetupCode(dataDir);
  const lines: string[] = [];
  let installed: InstallResult | null = null;
  if (await isInstalled(ports)) {
    lines.push(`Using the existing database in ${dataDir}`);
  } else {
    installed = await installDistrict(ports.db, ports.clock, dataset);
    const seeded = Object.entries(installed.seeded).map(([c, n]) => `${c} ${n}`).join(', ');
    lines.push(`Set up the ${dataset.name} data set in ${dataDir} (${installed.collections.created.length} collections created; ${seeded})`);
  }
  const record = await readSetupRecord(ports.db);
  if (isSpent(record, codeHash(code))) {
    lines.push(`The setup code in ${SETUP_CODE_FILE} was used by ${record!.spentBy} at ${record!.spentAt}`);
  } else {
    lines.push(`Setup code: ${code}  (also in ${dataDir}/${SETUP_CODE_FILE})`);
    lines.push(
      `Become the first admin: curl -s -X POST http://127.0.0.1:${port}/api/admin -H 'x-openid: <your openid>' -H 'content-type: application/json' -d '{"action":"setup","code":"${code}"}'`,
    );
  }
  return { installed, code, lines };
}
