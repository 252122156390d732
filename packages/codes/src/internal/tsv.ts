import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const DATA_DIR = new URL('../../data/', import.meta.url);

/**
 * Reads one of the package's data files (UTF-8, tab-separated, one header row; `.gz` files are gunzipped)
 * and returns its rows as records of the named columns. A missing column throws, so a data update that
 * renames a column fails loudly instead of yielding empty values.
 */
export function readDataTable<C extends string>(
  fileName: string,
  columns: readonly C[],
): Record<C, string>[] {
  const raw = readFileSync(new URL(fileName, DATA_DIR));
  const text = (fileName.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  const lines = text.split('\n');
  const header = (lines[0] ?? '').replace(/\r$/, '').split('\t');
  const indexes = columns.map((column) => {
    const index = header.indexOf(column);
    if (index < 0) throw new Error(`@intelluxe/codes: ${fileName} has no column "${column}"`);
    return index;
  });
  const rows: Record<C, string>[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/\r$/, '');
    if (line === '') continue;
    const cells = line.split('\t');
    const row = {} as Record<C, string>;
    columns.forEach((column, c) => {
      row[column] = cells[indexes[c]!] ?? '';
    });
    rows.push(row);
  }
  return rows;
}
