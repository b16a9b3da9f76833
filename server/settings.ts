import type { Db } from './core/ports';
import { getDoc } from './core/tx';

/** District-wide knobs, held in the database (`settings/global`) so admins can change them. */
export interface Settings {
  /** Where unmatched and rejected needs go. */
  triageUnitCode: string;
  triageSlaHours: number;
  /** The shared supplies pool every chamber head may claim from. */
  supplyPoolUnitCode: string;
  leaseMinutes: number;
}

const DEFAULTS: Settings = {
  triageUnitCode: 'fic',
  triageSlaHours: 48,
  supplyPoolUnitCode: 'fic-supply-pool',
  leaseMinutes: 120,
};

export async function loadSettings(db: Db): Promise<Settings> {
  const stored = await getDoc<Partial<Settings>>(db, 'settings', 'global');
  if (!stored) return { ...DEFAULTS };
  const { _id, ...values } = stored;
  return { ...DEFAULTS, ...values };
}
