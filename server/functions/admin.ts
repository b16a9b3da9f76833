import type { ActionTable } from '../core/actions';
import { createInvite } from '../users/invites';
import { importEnterprises } from '../enterprises/import';
import { breakClaim, routePreview, verifyTimeline } from '../needs/oversight';
import { deleteRule, getSettings, listRules, listUnits, saveRule, saveSettings, saveUnit } from '../admin/config';

export const adminActions: ActionTable = {
  createInvite,
  importEnterprises,
  breakClaim,
  routePreview,
  verifyTimeline,
  listRules,
  saveRule,
  deleteRule,
  listUnits,
  saveUnit,
  getSettings,
  saveSettings,
};
