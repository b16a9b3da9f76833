/**
 * Pages against the real server: the pages' service calls (wx.request in
 * local mode, wx.cloud.callFunction in cloud mode, both through
 * services/api.ts) go to an in-process local runtime — the real action
 * tables, zod schemas, access checks and the embedded store — set up with
 * the district's data set, instead of the hand-written fakes. A page's
 * payload and the server's schema cannot drift apart unnoticed.
 *
 *     const server = await startRuntimeBackend({ openid: 'demo-chamber-head' });
 *     const page = renderPage(id);
 *     await server.settle();
 *     …
 *     server.as('demo-admin');            // the next calls come from someone else
 *     await server.ok('need', 'mine', {}, 'owner-1');   // arrange or check directly
 *     server.close();
 *
 * The runtime keeps real time (the pages' date defaults use the phone's
 * clock too). Calls are still recorded in `backend.calls`.
 */
import * as v8 from 'v8';
import { createLocalRuntime, type LocalRuntime } from '../../../server/local/runtime';
import { installDistrict } from '../../../server/setup/install';
import { DEMO } from '../../../server/seed/demo';
import { creditCodeCheckChar } from '../../../server/enterprises/creditCode';
import type { Envelope } from '../../../typings/api';
import { backend, flush } from './index';

// jsdom's global has no structuredClone, which the embedded store copies documents with.
(globalThis as { structuredClone?: unknown }).structuredClone ??= (value: unknown) => v8.deserialize(v8.serialize(value));

export interface RuntimeBackend {
  rt: LocalRuntime;
  /** The caller the pages' calls come from now. */
  openid: string;
  as(openid: string): void;
  /** Waits until every call the page sent was answered and the page has handled the answers. */
  settle(): Promise<void>;
  /** A direct call (to arrange data or check the result); throws on an error envelope. */
  ok<T = any>(fn: string, action: string, payload: Record<string, unknown>, openid: string): Promise<T>;
  close(): void;
}

/** The demo district (units, task forces, zones, routing, enterprises, demo identities) on a fresh in-memory database. */
export async function startRuntimeBackend(options: { openid: string }): Promise<RuntimeBackend> {
  const rt = createLocalRuntime({ dataDir: ':memory:' });
  await installDistrict(rt.ports.db, rt.ports.clock, DEMO);
  const server: RuntimeBackend = {
    rt,
    openid: options.openid,
    as(openid) {
      server.openid = openid;
    },
    async settle() {
      // A call answers after several awaits inside the runtime; the page then sets data and may call again.
      for (let i = 0; i < 200; i++) {
        await flush(2);
        if (backend.inFlight === 0) {
          await flush(3);
          if (backend.inFlight === 0) return;
        }
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      throw new Error('the runtime did not answer within the settle budget');
    },
    async ok<T>(fn: string, action: string, payload: Record<string, unknown>, openid: string) {
      const envelope = (await rt.call<T>(fn, { action, ...payload }, openid)) as Envelope<T>;
      if (!envelope.ok) throw new Error(`${fn}.${action} failed: ${JSON.stringify(envelope.error)}`);
      return envelope.data;
    },
    close() {
      if (backend.route === route) backend.route = null;
      rt.close();
    },
  };
  // The envelope goes back as the deployed function would return it, errors included.
  const route = (fn: string, data: Record<string, unknown>) => rt.call(fn, { ...data }, server.openid);
  backend.route = route;
  return server;
}

/** A valid unified social credit code (check character included), unique per `serial`. */
export function creditCodeFor(serial: number): string {
  const first17 = `91500104MA${String(serial).padStart(7, '0')}`;
  return first17 + creditCodeCheckChar(first17);
}
