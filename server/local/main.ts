/**
 * `npm start`: the local gateway on the embedded database, set up the first
 * time a DATA_DIR is used (server/setup/local.ts) with the Dadukou demo —
 * the district plus its demo enterprises and identities — or, with DEMO=0,
 * with the district's configuration only: exactly what admin.setup installs
 * in the cloud, the first admin coming from the setup code.
 */
import type { AddressInfo } from 'net';
import { resolve } from 'path';
import { createLocalRuntime } from './runtime';
import { createGateway } from './gateway';
import { setUpLocal, UsedFolderError } from '../setup/local';
import { KeyFileError } from '../history/keyFile';
import { DataDirError } from './database';
import { DISTRICT } from '../seed/dataset';
import { DEMO } from '../seed/demo';

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  // An empty DATA_DIR= would otherwise resolve to the working directory and fill the checkout.
  const dataDir = resolve(process.env.DATA_DIR || '.data');
  const stamp = (line: string) => console.log(`${new Date().toISOString()} ${line}`);
  const runtime = createLocalRuntime({
    dataDir,
    log: (e) => stamp(`${e.fn}.${e.action || '-'} caller=${e.openid} ${e.ms}ms db=${e.db ?? 0} ${e.outcome}`),
  });
  const demo = process.env.DEMO !== '0';
  try {
    for (const line of (await setUpLocal(runtime.ports, dataDir, port, demo ? DEMO : DISTRICT)).lines) console.log(line);
  } catch (err) {
    runtime.close();
    throw err;
  }
  if (!demo) console.log('DEMO=0: no demo enterprises or identities; the setup code above makes the first admin, as in the cloud.');
  const server = createGateway(runtime, stamp);
  server.on('error', (err) => {
    console.error(`Cannot listen on 127.0.0.1:${port}: ${err.message}`);
    process.exit(1);
  });
  server.listen(port, '127.0.0.1', () => {
    // PORT=0 asks for any free port (the bench and tests): print the one we got.
    const { port: actual } = server.address() as AddressInfo;
    console.log(`复工服务台 local gateway on http://127.0.0.1:${actual}  (GET /health, POST /api/<function>)`);
  });
  const stop = () => server.close(() => {
    runtime.close();
    process.exit(0);
  });
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** A folder the gateway will not start on says why and what to do; only the unforeseen gets a stack. */
const isRefusal = (err: unknown) => err instanceof DataDirError || err instanceof KeyFileError || err instanceof UsedFolderError;

main().catch((err) => {
  console.error(isRefusal(err) ? `Not starting: ${(err as Error).message}` : err);
  process.exit(1);
});
