/** The statuses and their named sets, declared once in miniprogram/contract/statuses.ts (the pages load it too). */
export * from '../miniprogram/contract/statuses';
