/** Anchor documents, and the latest sealed one (read without the history key; printing checks its MAC first, see anchors.ts). */
import type { Db } from '../core/ports';
import { docsOf } from '../core/tx';

export interface AnchorDoc {
  /** `seq` zero-padded: anchors sort by it, and two runs opening the same next anchor collide on it. */
  _id: string;
  /** 1 for the first anchor, then one more for each: a missing anchor shows as a gap. */
  seq: number;
  /** The China-time day of `to`: what verifyAnchors takes. */
  day: string;
  /** The window of `updatedAt`: from (inclusive; '' for the first anchor, which takes everything before) to (exclusive). */
  from: string;
  to: string;
  /** The digest of the anchor before (64 zeros for the first): this anchor's digest starts from it, so the anchors form a chain. */
  prevDigest: string;
  state: 'collecting' | 'sealing' | 'sealed';
  /** Moves by one with every page written: the condition that keeps two runs from both advancing it. */
  step: number;
  /** collecting: the (updatedAt, _id) of the last need recorded. */
  afterAt?: string;
  afterId?: string;
  /** sealing: the last anchorHeads _id folded into `digest`. */
  through?: string;
  /** sha256 folded over the recorded heads in needId order (see foldHead), starting from the previous digest; final once sealed. */
  digest: string;
  heads: number;
  keyId: string;
  /** HMAC of the sealed anchor under the history key: checked before it is printed. */
  mac?: string;
  createdAt: string;
  sealedAt?: string;
}

export const anchorIdOf = (seq: number) => String(seq).padStart(10, '0');

export async function latestSealedAnchor(db: Db): Promise<AnchorDoc | null> {
  const [anchor] = await docsOf<AnchorDoc>(db.collection('anchors').where({ state: 'sealed' }).orderBy('seq', 'desc').limit(1));
  return anchor ?? null;
}
