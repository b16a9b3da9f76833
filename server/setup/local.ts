/**
 * The setup step of `npm start`: the same installDistrict a deployment runs
 * through admin.setup, with the demo data set, and a setup code kept in
 * DATA_DIR so the local path also makes its first admin with a code.
 */
import { existsSync } from 'fs';
import { join } from 'path';
import type { Ports } from '../core/ports';
import { countOf, getDoc } from '../core/tx';
import { HISTORY_KEY_FILE, LINK_KEY_FILE } from '../history/keyFile';
import { FILES_FOLDER, OUTBOX_FILE } from '../local/runtime';
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

/** What only a folder that has served calls holds (none of it is written before setup has finished). */
const TRACES_OF_USE = [HISTORY_KEY_FILE, LINK_KEY_FILE, OUTBOX_FILE, FILES_FOLDER, SETUP_CODE_FILE];

/** A DATA_DIR npm start refuses, with what to do; printed alone, without a stack. */
export class UsedFolderError extends Error {}

/**
 * A folder that was used but has no set-up database (db.sqlite deleted,
 * emptied, or replaced by a new one) is not set up again: that would start a
 * second district beside the first one's keys, files and messages, and accept
 * the spent setup code again.
 */
async function refuseReseed(ports: Ports, dataDir: string): Promise<void> {
  const traces = TRACES_OF_USE.filter((name) => existsSync(join(dataDir, name)));
  if (await readSetupRecord(ports.db)) traces.push('a setup record');
  if (!traces.length) return;
  throw new UsedFolderError(
    `${dataDir} has been used (it holds ${traces.join(', ')}) but has no set-up database: db.sqlite is missing, empty or not this folder's. ` +
      `Nothing was set up, so that a spent setup code stays spent. Restore db.sqlite from a backup of this folder; or, to start afresh, empty the folder.`,
  );
}

/** A database that holds timelines but has lost its history key would get a new one, and every timeline would read as altered. */
async function refuseLostHistoryKey(ports: Ports, dataDir: string): Promise<void> {
  if (existsSync(join(dataDir, HISTORY_KEY_FILE))) return;
  if ((await countOf(ports.db.collection('needs'))) === 0) return;
  throw new UsedFolderError(
    `${dataDir}/${HISTORY_KEY_FILE} is missing but the database holds needs signed with it. Restore it from a backup of this folder: a new key would make every need timeline fail verification.`,
  );
}

export async function setUpLocal(ports: Ports, dataDir: string, port: number, dataset: Dataset = DEMO): Promise<LocalSetup> {
  const lines: string[] = [];
  let installed: InstallResult | null = null;
  if (await isInstalled(ports)) {
    await refuseLostHistoryKey(ports, dataDir);
    lines.push(`Using the existing database in ${dataDir}`);
  } else {
    await refuseReseed(ports, dataDir);
    installed = await installDistrict(ports.db, ports.clock, dataset);
    const seeded = Object.entries(installed.seeded).map(([c, n]) => `${c} ${n}`).join(', ');
    lines.push(`Set up the ${dataset.name} data set in ${dataDir} (${installed.collections.created.length} collections created; ${seeded})`);
  }
  // Only once setup has finished: a setup code in the folder is a sign the folder was set up.
  const { code } = ensureSetupCode(dataDir);
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
