import type { ActionTable } from '../core/actions';
import { createInvite, listInvites, revokeInvite } from '../users/invites';
import { auditLog } from '../users/audit';
import { members, revoke } from '../admin/members';
import { importEnterprises } from '../enterprises/import';
import { enterprises } from '../enterprises/list';
import { reassignEnterprise, retireEnterprise } from '../enterprises/ownership';
import { breakClaim, routePreview, verifyAnchors, verifyTimeline } from '../needs/oversight';
import * as config from '../admin/config';
import { setup } from '../setup/action';

export const adminActions: ActionTable = {
  setup,
  createInvite,
  listInvites,
  revokeInvite,
  members,
  revoke,
  auditLog,
  importEnterprises,
  enterprises,
  reassignEnterprise,
  retireEnterprise,
  breakClaim,
  routePreview,
  verifyTimeline,
  verifyAnchors,
  listRules: config.listRules,
  saveRule: config.saveRule,
  deleteRule: config.deleteRule,
  listUnits: config.listUnits,
  listTaskForces: config.listTaskForces,
  saveUnit: config.saveUnit,
  deleteUnit: config.deleteUnit,
  saveZone: config.saveZone,
  saveTaskForce: config.saveTaskForce,
  savePolicy: config.savePolicy,
  deletePolicy: config.deletePolicy,
  getSettings: config.getSettings,
  saveSettings: config.saveSettings,
  listHolidays: config.listHolidays,
  saveHoliday: config.saveHoliday,
  deleteHoliday: config.deleteHoliday,
};
