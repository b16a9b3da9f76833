import { closeSync, existsSync, fstatSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'fs';
import { dirname } from 'path';
import type { Messenger, SubscribeMessage } from '../core/ports';
import { toSubscribeSend } from '../notify/messages';

export interface OutboxEntry extends SubscribeMessage {
  at: string;
}

export interface OutboxRefusal extends OutboxEntry {
  reason: string;
}

/**
 * Subscribe messages, locally: one JSON line each in a file a person can
 * read. A message the platform would refuse (a value outside its keyword's
 * rule, a keyword the template lacks) is refused here too, with the same
 * errcode, and kept in `refused` so tests see it.
 */
export class FileOutbox implements Messenger {
  readonly refused: OutboxRefusal[] = [];

  constructor(
    private readonly file: string,
    private readonly now: () => Date,
  ) {
    mkdirSync(dirname(file), { recursive: true });
  }

  async send(message: SubscribeMessage): Promise<void> {
    const entry: OutboxEntry = { at: this.now().toISOString(), ...message };
    try {
      toSubscribeSend(message);
    } catch (err) {
      this.refused.push({ ...entry, reason: (err as Error).message });
      throw err;
    }
    appendLine(this.file, JSON.stringify(entry));
  }

  read(): OutboxEntry[] {
    if (!existsSync(this.file)) return [];
    return readFileSync(this.file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as OutboxEntry);
  }
}

/**
 * Appends one line whole or not at all. A write cut short (a full disk) is
 * cut back off: left in place, the next line would be glued to it and the
 * file would no longer read as lines of JSON.
 */
function appendLine(file: string, line: string): void {
  const fd = openSync(file, 'a');
  try {
    const size = fstatSync(fd).size;
    const bytes = Buffer.from(`${line}\n`);
    try {
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
    } catch (err) {
      ftruncateSync(fd, size);
      throw err;
    }
  } finally {
    closeSync(fd);
  }
}
