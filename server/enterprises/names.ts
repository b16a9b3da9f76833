/**
 * A name is not a credential, but a verified enterprise's name on another
 * record is how a squatter or a typo passes for it. Such records are not
 * refused (two real enterprises can share a name, and the first to register
 * might be the impostor): they are flagged where the people who can tell
 * look — the admin enterprise list and the task force's list of its zones —
 * as `nameMatchesVerified`. The flag is worked out when a list is read, from
 * the verified enterprises as they are then, so it never goes stale when
 * either side is renamed or verified.
 */
import { docsOf } from '../core/tx';
import type { Context } from '../core/ports';

interface Named {
  _id: string;
  name: string;
}

/**
 * The ids among `docs` whose name a different, verified enterprise has.
 * One round trip for a page (the `enterprises_name` index), none for an empty page.
 */
export async function verifiedNameTwins(ctx: Pick<Context, 'db'>, docs: Named[]): Promise<Set<string>> {
  const names = [...new Set(docs.map((d) => d.name).filter((n) => typeof n === 'string' && n))];
  if (!names.length) return new Set();
  const _ = ctx.db.command;
  // A page holds at most MAX_PAGE_SIZE names; even a name shared a thousand times answers within one platform page.
  const verified = await docsOf<Named>(ctx.db.collection('enterprises').where({ name: _.in(names), verified: true }).field({ _id: true, name: true }).limit(1000));
  const holders = new Map<string, Set<string>>();
  for (const v of verified) holders.set(v.name, (holders.get(v.name) ?? new Set()).add(v._id));
  const out = new Set<string>();
  for (const d of docs) {
    const ids = holders.get(d.name);
    if (ids && [...ids].some((id) => id !== d._id)) out.add(d._id);
  }
  return out;
}
