import { createHash, randomBytes } from 'crypto';

/** Document ids chosen by us, so a transaction can write related documents that name each other. */
export const newDocId = () => randomBytes(16).toString('hex');

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
