/**
 * `npm start`: the local gateway on the embedded database, seeded with the
 * Dadukou demo the first time a DATA_DIR is used.
 */
import { resolve } from 'path';
import { createLocalRuntime } from './runtime';
import { createGateway } from './gateway';
import { seedIfEmpty } from '../seed';

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  const dataDir = resolve(process.env.DATA_DIR ?? '.data');
  const stamp = (line: string) => console.log(`${new Date().toISOString()} ${line}`);
  const runtime = createLocalRuntime({
    dataDir,
    log: (e) => stamp(`${e.fn}.${e.action || '-'} caller=${e.openid} ${e.ms}ms db=${e.db ?? 0} ${e.outcome}`),
  });
  const seeded = await seedIfEmpty(runtime.ports.db, runtime.ports.clock);
  console.log(seeded ? `Seeded the Dadukou demo into ${dataDir}` : `Using the existing database in ${dataDir}`);
  const server = createGateway(runtime, stamp);
  server.on('error', (err) => {
    console.error(`Cannot listen on 127.0.0.1:${port}: ${err.message}`);
    process.exit(1);
  });
  server.listen(port, '127.0.0.1', () => {
    console.log(`复工服务台 local gateway on http://127.0.0.1:${port}  (GET /health, POST /api/<function>)`);
  });
  const stop = () => server.close(() => {
    runtime.close();
    process.exit(0);
  });
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
