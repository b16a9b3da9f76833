import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'fs';
import { dirname } from 'path';
import type { Messenger, SubscribeMessage } from '../core/ports';

export interface OutboxEntry extends SubscribeMessage {
  at: string;
}

/** Subscribe messages, locally: one JSON line each in a file a person can read. */
export class FileOutbox implements Messenger {
  constructor(
    private readonly file: string,
    private readonly now: () => Date,
  ) {
    mkdirSync(dirname(file), { recursive: true });
  }

  async send(message: SubscribeMessage): Promise<void> {
    const entry: OutboxEntry = { at: this.now().toISOString(), ...message };
    appendFileSync(this.file, JSON.stringify(entry) + '\n');
  }

  read(): OutboxEntry[] {
    if (!existsSync(this.file)) return [];
    return readFileSync(this.file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as OutboxEntry);
  }
}
