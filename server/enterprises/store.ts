import type { Enterprise, EnterpriseInput, GeoPoint } from '../../typings/api';

export interface EnterpriseDoc extends EnterpriseInput {
  _id: string;
  verified: boolean;
  verifiedBy?: string;
  verifiedByName?: string;
  verifiedAt?: string;
  /**
   * The position the last verifier vouched for. Visits are measured from it;
   * moving the position clears 已核实 but not this, until a verifier vouches
   * for the new one.
   */
  verifiedLocation?: GeoPoint;
  /** Retired by an admin (enterprises/ownership.ts): the credit code is free again. */
  retiredAt?: string;
  ownerOpenid: string | null;
  importedBy?: string;
  /** When a task force last checked in (ISO), '' or absent when never. */
  lastVisitAt?: string;
  createdAt: string;
  updatedAt: string;
}

/** 138****5678: what people outside the spec's allowed circle see. */
export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

/** Fields holding OPENIDs: identities that reach no screen but an admin's. */
const IDENTITY_FIELDS = ['ownerOpenid', 'verifiedBy', 'importedBy', 'retiredBy'] as const;

export interface EnterpriseView {
  /** The contact phone in full (spec: the enterprise, its task force, the units handling its needs). */
  phone: boolean;
  /** OPENIDs of owner, verifier and importer: admins only. */
  identities?: boolean;
}

export function toEnterprise(doc: EnterpriseDoc, view: EnterpriseView): Enterprise {
  const { _id, ...rest } = doc;
  const out: Record<string, unknown> = { id: _id, ...rest, contactPhone: view.phone ? doc.contactPhone : maskPhone(doc.contactPhone) };
  if (!view.identities) for (const k of IDENTITY_FIELDS) delete out[k];
  return out as unknown as Enterprise;
}
