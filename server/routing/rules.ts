import type { Db } from '../core/ports';
import type { RoutingRule } from './engine';
import { docsOf } from '../core/tx';

/** Platform cap on one read; a district's rule list is far below it. */
const MAX_RULES = 1000;

export async function loadRules(db: Db): Promise<RoutingRule[]> {
  return docsOf<RoutingRule>(db.collection('routingRules').orderBy('order', 'asc').limit(MAX_RULES));
}
