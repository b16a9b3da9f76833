/**
 * The links the functions hand out: the only way a person reaches a stored
 * file. Whoever may read the answer that carries a link may read the file;
 * the action that answers decides who that is.
 */
import type { Context, FileLink } from '../core/ports';
import { isUpload } from './paths';

/** Long enough to download on a weak signal, short enough that a forwarded link soon dies. */
export const EXPORT_LINK_SECONDS = 10 * 60;
/** A list of visits stays on screen a while; its thumbnails should not break under the reader. */
export const PHOTO_LINK_SECONDS = 30 * 60;

/**
 * Links for the photos of the visits an action answers, by file ID: one
 * storage request per 50 photos, never one per visit. IDs that are not
 * uploads, and files that are gone, get no link.
 */
export async function photoLinks(ctx: Pick<Context, 'files'>, fileIDs: string[]): Promise<Map<string, FileLink>> {
  const wanted = [...new Set(fileIDs.filter((id) => typeof id === 'string' && isUpload(id)))];
  if (!wanted.length) return new Map();
  const links = await ctx.files.links(wanted, PHOTO_LINK_SECONDS);
  return new Map(links.map((l) => [l.fileID, l]));
}
