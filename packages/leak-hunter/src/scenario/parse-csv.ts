// RFC 4180 CSV: quoted fields may hold commas, CR/LF and doubled quotes; CRLF or LF row ends.
import { AccountsInvalidError } from '../errors.js'

export interface CsvTable {
  header: string[]
  rows: string[][]
}

/** Parse CSV text into rows of fields. Throws HUNT_ERR_ACCOUNTS_INVALID with the line on bad quoting. */
export function parseCsvRows(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  let fieldStarted = false
  let line = 1
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0 // a UTF-8 BOM is not part of the first column name
  const endRow = (): void => {
    row.push(field)
    // A blank line is no row at all (common at the end of files).
    if (!(row.length === 1 && row[0] === '' && !fieldStarted)) {
      rows.push(row)
    }
    row = []
    field = ''
    fieldStarted = false
  }
  while (i < text.length) {
    const c = text[i]
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i += 2
          continue
        }
        quoted = false
        i++
        const next = text[i]
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
          throw new AccountsInvalidError(
            `CSV line ${line}: unexpected character after closing quote`
          )
        }
        continue
      }
      if (c === '\n') {
        line++
      }
      field += c
      i++
      continue
    }
    if (c === '"') {
      if (field !== '') {
        throw new AccountsInvalidError(`CSV line ${line}: a quote inside an unquoted field`)
      }
      quoted = true
      fieldStarted = true
      i++
    } else if (c === ',') {
      row.push(field)
      field = ''
      fieldStarted = true
      i++
    } else if (c === '\r' && text[i + 1] === '\n') {
      endRow()
      line++
      i += 2
    } else if (c === '\n' || c === '\r') {
      endRow()
      line++
      i++
    } else {
      field += c
      fieldStarted = true
      i++
    }
  }
  if (quoted) {
    throw new AccountsInvalidError(`CSV line ${line}: unterminated quoted field`)
  }
  if (field !== '' || row.length > 0 || fieldStarted) {
    endRow()
  }
  return rows
}

/** Parse CSV with a header row; every row must have as many fields as the header. */
export function parseCsv(text: string): CsvTable {
  const rows = parseCsvRows(text)
  const header = rows.shift()
  if (header === undefined) {
    throw new AccountsInvalidError('the accounts CSV is empty: expected a header row')
  }
  const names = header.map((h) => h.trim())
  const seen = new Set<string>()
  for (const name of names) {
    if (name === '') {
      throw new AccountsInvalidError('the accounts CSV header has an empty column name')
    }
    if (seen.has(name)) {
      throw new AccountsInvalidError(`the accounts CSV header repeats column "${name}"`)
    }
    seen.add(name)
  }
  rows.forEach((row, i) => {
    if (row.length !== names.length) {
      throw new AccountsInvalidError(
        `accounts CSV row ${i + 1}: expected ${names.length} fields, found ${row.length}`
      )
    }
  })
  return { header: names, rows }
}
