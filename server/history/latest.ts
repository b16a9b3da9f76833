/** The latest sealed anchor, for the 专报 to print (read without the history key: its digest is public by design). */
import type { Db } from '../core/ports';
import { docsOf } from '../core/tx';

export interface AnchorDoc {
  /** The China-time day whose end closes the window ('YYYY-MM-DD'). */
  _id: string;
  day: string;
  /** The window of `updatedAt`: from (inclusive; '' for the first anchor, which takes everything before) to (exclusive). */
  from: string;
  to: string;
  state: 'collecting' | 'sealing' | 'sealed';
  /** Moves by one with every page written: the condition that keeps two runs from both advancing it. */
  step: number;
  /** collecting: the (updatedAt, _id) of the last need recorded. */
  afterAt?: string;
  afterId?: string;
  /** sealing: the last anchorHeads _id folded into `digest`. */
  through?: string;
  /** sha256 folded over the recorded heads in needId order (see foldHead); final once sealed. */
  digest: string;
  heads: number;
  keyId: string;
  /** HMAC of the sealed anchor under the history key. */
  mac?: string;
  createdAt: string;
  sealedAt?: string;
}

export async function latestSealedAnchor(db: Db): Promise<AnchorDoc | null> {
  const [anchor] = await docsOf<AnchorDoc>(db.collection('anchors').where({ state: 'sealed' }).orderBy('day', 'desc').limit(1));
  return anchor ?? null;
}
