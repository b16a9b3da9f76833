/**
 * Check-ins made without network (spec: "queued on the phone and sent later
 * exactly once"). A task-force member on a factory floor with no signal
 * must not lose a visit, and must not have to remember to resend it.
 *
 * - An item is kept in storage until the server has answered it: ok removes
 *   it; a refusal (not a network failure) moves it aside with the server's
 *   message for the member to read, since resending would be refused again.
 * - Resending is safe because the item keeps its clientKey: the server
 *   treats the same key as the same visit, so a send whose answer was lost
 *   is not a second visit.
 * - Only one flush runs at a time: page show and "network is back" often
 *   fire together, and two flushes would send the same item twice.
 * - Photos that could not be uploaded are kept as local paths (copied out
 *   of the temp folder, which WeChat may clean) and uploaded by the flush,
 *   just before the check-in itself is sent; each fileID is stored as soon
 *   as it is known so a later flush does not upload it again.
 * - A refused item keeps everything the member entered (the form's own
 *   state in `draft`, the photos, the server's field): the check-in page
 *   reopens it filled in, with the message under the field it names.
 */
import type { CheckInInput } from '../services/visit-api';
import type { NeedForms } from './need-forms';
import { isNetworkFailure, patchStoredEnterprise, photoCloudPath, uploadPhoto, visitApi } from '../services/visit-api';

export interface QueuedPhoto {
  /** Local path; '' once uploaded and the copy removed. */
  path: string;
  /** Cloud fileID; '' until uploaded. */
  fileID: string;
  /** True when `path` is our own saved copy, to be removed after sending. */
  saved?: boolean;
}

/** The check-in form as the member left it, beyond what `input` carries: to reopen it filled in. */
export interface CheckInDraft {
  checkedNeeds: string[];
  forms: NeedForms;
}

export interface QueuedCheckIn {
  clientKey: string;
  enterpriseName: string;
  input: Omit<CheckInInput, 'photos'>;
  photos: QueuedPhoto[];
  queuedAt: string;
  draft?: CheckInDraft;
}

export interface FailedCheckIn extends QueuedCheckIn {
  message: string;
  /** The server's error code and the field it named, if any. */
  code?: string;
  field?: string;
  failedAt: string;
}

export interface FlushSummary {
  sent: number;
  failed: number;
  remaining: number;
}

export const QUEUE_KEY = 'taskforce.checkInQueue';
export const FAILED_KEY = 'taskforce.checkInFailed';
export const QUEUED_MESSAGE = '网络不好，已保存，联网后自动提交';

function read<T>(key: string): T[] {
  try {
    const v = wx.getStorageSync(key);
    return Array.isArray(v) ? (v as T[]) : [];
  } catch {
    return [];
  }
}

function write<T>(key: string, list: T[]): void {
  wx.setStorageSync(key, list);
}

export function pending(): QueuedCheckIn[] {
  return read<QueuedCheckIn>(QUEUE_KEY);
}

export function failedItems(): FailedCheckIn[] {
  return read<FailedCheckIn>(FAILED_KEY);
}

type Listener = (summary: FlushSummary) => void;
const listeners = new Set<Listener>();

/** Pages showing the queue subscribe here; returns the unsubscribe. */
export function onQueueChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(summary: FlushSummary): void {
  listeners.forEach((l) => {
    try {
      l(summary);
    } catch {
      // A page that went away must not stop the others from hearing.
    }
  });
}

/** Copies a temp photo into the mini-program's saved files, so it survives until the flush; falls back to the temp path. */
export function keepPhoto(tempPath: string): QueuedPhoto {
  try {
    const fs = wx.getFileSystemManager();
    const savedPath = fs.saveFileSync(tempPath);
    if (savedPath) return { path: savedPath, fileID: '', saved: true };
  } catch {
    // No room or no API: the temp path usually lives until the app is closed.
  }
  return { path: tempPath, fileID: '' };
}

function dropSavedPhotos(item: QueuedCheckIn): void {
  for (const p of item.photos) {
    if (!p.saved || !p.path) continue;
    try {
      wx.getFileSystemManager().removeSavedFile({ filePath: p.path });
    } catch {
      // Left-over copies only cost space.
    }
  }
}

/**
 * Queues a check-in; the same clientKey (the same form, queued again)
 * replaces the older entry, and a refused one being resent leaves the
 * refused list.
 */
export function enqueue(item: QueuedCheckIn): void {
  const list = pending().filter((q) => q.clientKey !== item.clientKey);
  write(QUEUE_KEY, [...list, item]);
  if (failedItems().some((f) => f.clientKey === item.clientKey)) dismissFailed(item.clientKey, { keepPhotos: true });
  notify({ sent: 0, failed: 0, remaining: list.length + 1 });
}

export function findFailed(clientKey: string): FailedCheckIn | null {
  return failedItems().find((f) => f.clientKey === clientKey) || null;
}

/** Drops a refused check-in; its saved photo copies go with it unless the page keeps using them. */
export function dismissFailed(clientKey: string, options: { keepPhotos?: boolean } = {}): void {
  const item = findFailed(clientKey);
  write(
    FAILED_KEY,
    failedItems().filter((f) => f.clientKey !== clientKey),
  );
  if (item && !options.keepPhotos) dropSavedPhotos(item);
}

/** Re-reads storage for each change: an item may be queued while a flush is running. */
function update(clientKey: string, change: (item: QueuedCheckIn) => QueuedCheckIn | null): void {
  const list = pending();
  const out: QueuedCheckIn[] = [];
  for (const q of list) {
    if (q.clientKey !== clientKey) out.push(q);
    else {
      const next = change(q);
      if (next) out.push(next);
    }
  }
  write(QUEUE_KEY, out);
}

function messageOf(err: unknown): string {
  return err instanceof Error && err.message ? err.message : '提交失败';
}

function errorFields(err: unknown): { code?: string; field?: string } {
  const e = err as { code?: unknown; field?: unknown };
  return {
    ...(typeof e?.code === 'string' ? { code: e.code } : {}),
    ...(typeof e?.field === 'string' ? { field: e.field } : {}),
  };
}

type Outcome = 'sent' | 'network' | 'failed';

function setAside(item: QueuedCheckIn, err: unknown): Outcome {
  // The stored version: it holds the fileIDs uploaded during this flush.
  const latest = pending().find((q) => q.clientKey === item.clientKey) || item;
  update(item.clientKey, () => null);
  write(FAILED_KEY, [
    ...failedItems().filter((f) => f.clientKey !== item.clientKey),
    { ...latest, message: messageOf(err), ...errorFields(err), failedAt: new Date().toISOString() },
  ]);
  return 'failed';
}

async function sendOne(item: QueuedCheckIn): Promise<Outcome> {
  const photos = item.photos.map((p) => ({ ...p }));
  for (let i = 0; i < photos.length; i++) {
    if (photos[i].fileID) continue;
    try {
      photos[i].fileID = await uploadPhoto(photoCloudPath(item.input.enterpriseId, item.clientKey, i, photos[i].path), photos[i].path);
    } catch (err) {
      if (isNetworkFailure(err)) return 'network';
      return setAside(item, err);
    }
    const fileID = photos[i].fileID;
    update(item.clientKey, (q) => ({ ...q, photos: q.photos.map((p, k) => (k === i ? { ...p, fileID } : p)) }));
  }
  try {
    const visit = await visitApi.checkIn({ ...item.input, photos: photos.map((p) => p.fileID) });
    // The zone list on the phone shows the visit at once, without fetching the whole zone again.
    patchStoredEnterprise(item.input.enterpriseId, { lastVisitAt: visit.createdAt || new Date().toISOString(), overdue: false });
  } catch (err) {
    if (isNetworkFailure(err)) return 'network';
    return setAside(item, err);
  }
  update(item.clientKey, () => null);
  dropSavedPhotos(item);
  return 'sent';
}

async function runFlush(): Promise<FlushSummary> {
  const summary: FlushSummary = { sent: 0, failed: 0, remaining: 0 };
  for (const item of pending()) {
    const outcome = await sendOne(item);
    // Still no network: the rest would fail the same way, and each try costs the member's battery and data.
    if (outcome === 'network') break;
    if (outcome === 'sent') summary.sent += 1;
    else summary.failed += 1;
  }
  summary.remaining = pending().length;
  notify(summary);
  return summary;
}

let running: Promise<FlushSummary> | null = null;

/** Sends what is queued, oldest first; a flush already running is joined, not repeated. */
export function flushQueue(): Promise<FlushSummary> {
  if (running) return running;
  if (!pending().length) return Promise.resolve({ sent: 0, failed: 0, remaining: 0 });
  running = runFlush().then(
    (s) => {
      running = null;
      return s;
    },
    (err) => {
      running = null;
      throw err;
    },
  );
  return running;
}

let watching = false;

/** Flushes whenever the phone gets its network back; registered once per app run. */
export function startAutoFlush(): void {
  if (watching || typeof wx.onNetworkStatusChange !== 'function') return;
  watching = true;
  wx.onNetworkStatusChange((res) => {
    if (res.isConnected) void flushQueue().catch(() => undefined);
  });
}
