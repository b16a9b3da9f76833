import type { Enterprise, EnterpriseInput } from '../../typings/api';

export interface EnterpriseDoc extends EnterpriseInput {
  _id: string;
  verified: boolean;
  ownerOpenid: string;
  createdAt: string;
  updatedAt: string;
}

/** 138****5678: what people outside the spec's allowed circle see. */
export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

export function toEnterprise(doc: EnterpriseDoc, showPhone: boolean): Enterprise {
  const { _id, ...rest } = doc;
  return { id: _id, ...rest, contactPhone: showPhone ? doc.contactPhone : maskPhone(doc.contactPhone) };
}
