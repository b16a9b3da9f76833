/**
 * exceljs and the tree it brings (about 2.5 MB) load only in the calls that
 * read or write a workbook: bundled, or required at the top, every cold
 * start of the admin and ledger functions paid for it (140 ms), whatever the
 * action. The function bundles leave it external and each of those
 * functions' package.json has the cloud install it beside wx-server-sdk.
 */
export type Excel = typeof import('exceljs');

let excel: Excel | undefined;

export async function loadExcel(): Promise<Excel> {
  excel ??= require('exceljs') as Excel;
  return excel;
}
