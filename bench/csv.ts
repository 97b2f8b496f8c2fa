/** RFC 4180 CSV as the public data sets write it, for the routing evaluations. */

/**
 * Rows of fields. A field that starts with a quote runs to the closing quote, with "" for a quote inside
 * it (commas and line breaks included); a quote anywhere else in a field is kept as a character, as in
 * Python's csv module (Banking77's train split has one such row). Lines end with \n or \r\n.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
      continue;
    }
    if (c === '"' && fieldStart) (quoted = true), (fieldStart = false);
    else if (c === ',') row.push(field), (field = ''), (fieldStart = true);
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field), rows.push(row), (row = []), (field = ''), (fieldStart = true);
    } else (field += c), (fieldStart = false);
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}
