import type { Clock, Db } from '../core/ports';
import { getDoc } from '../core/tx';
import { createCollections } from '../db/collections';
import { newDocId } from '../core/ids';
import { DEMO_USERS, ENTERPRISES, POLICIES, ROUTING_RULES, TASK_FORCES, UNITS, withCheck, ZONES } from './dadukou';

/** Loads the Dadukou demo into an empty database; a database that has settings is left alone. */
export async function seedIfEmpty(db: Db, clock: Clock): Promise<boolean> {
  await createCollections(db);
  if (await getDoc(db, 'settings', 'global')) return false;
  const now = clock.now().toISOString();
  const put = async (collection: string, docs: Array<Record<string, unknown> & { _id: string }>) => {
    for (const { _id, ...fields } of docs) await db.collection(collection).doc(_id).set({ data: fields });
  };
  await put('units', UNITS);
  await put('zones', ZONES);
  await put('taskForces', TASK_FORCES);
  await put('routingRules', ROUTING_RULES);
  await put('policies', POLICIES.map((p) => ({ ...p, createdAt: now })));

  const enterpriseIds = new Map<string, string>();
  for (const e of ENTERPRISES) {
    const id = newDocId();
    const creditCode = withCheck(e.body);
    enterpriseIds.set(e.name, id);
    await put('enterprises', [
      {
        _id: id,
        name: e.name,
        creditCode,
        industry: e.industry,
        zone: e.zone,
        address: e.address,
        location: { latitude: e.lat, longitude: e.lng },
        contactName: e.contactName,
        contactPhone: e.contactPhone,
        employees: e.employees,
        chamberCodes: e.chamberCodes,
        verified: e.verified,
        lastVisitAt: '',
        ownerOpenid: e.owner,
        createdAt: now,
        updatedAt: now,
      },
    ]);
    await put('creditCodes', [{ _id: creditCode, enterpriseId: id, createdAt: now }]);
  }
  await put(
    'users',
    DEMO_USERS.map(({ enterprise, ...u }) => ({
      ...u,
      ...(enterprise ? { enterpriseId: enterpriseIds.get(enterprise) } : {}),
      createdAt: now,
      updatedAt: now,
    })),
  );
  // Written last: its presence is what marks the database as seeded.
  await put('settings', [{ _id: 'global', triageUnitCode: 'fic', triageSlaHours: 48, supplyPoolUnitCode: 'fic-supply-pool', leaseMinutes: 120 }]);
  return true;
}
