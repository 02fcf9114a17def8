import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { parseCsv, parseCsvRows } from './parse-csv.js'

function toCsv(rows: string[][]): string {
  return rows
    .map((r) =>
      r.map((f) => (/[",\r\n]/.test(f) || f === '' ? `"${f.replace(/"/g, '""')}"` : f)).join(',')
    )
    .join('\r\n')
}

describe('parseCsv (RFC 4180)', () => {
  test('quoted fields hold commas, quotes and line breaks', () => {
    const text = 'id,name,bio\r\n1,"Lee, Ann","said ""hi""\nthen left"\r\n2,Bob,\r\n'
    expect(parseCsv(text)).toEqual({
      header: ['id', 'name', 'bio'],
      rows: [
        ['1', 'Lee, Ann', 'said "hi"\nthen left'],
        ['2', 'Bob', ''],
      ],
    })
  })

  test('LF line ends, a BOM and blank trailing lines', () => {
    expect(parseCsv('\ufeffa,b\n1,2\n\n')).toEqual({ header: ['a', 'b'], rows: [['1', '2']] })
  })

  test('errors carry HUNT_ERR_ACCOUNTS_INVALID', () => {
    for (const bad of [
      '',
      'a,b\n1',
      'a,a\n1,2',
      'a,b\n"1,2',
      'a,b\n"1"x,2',
      'a,b\n1"2,3',
      'a,\n1,2',
    ]) {
      expect(() => parseCsv(bad), bad).toThrow(
        expect.objectContaining({ code: 'HUNT_ERR_ACCOUNTS_INVALID' })
      )
    }
  })

  test('round-trips any table of strings', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', ' ', 'é') }), {
            minLength: 2,
            maxLength: 2,
          }),
          { minLength: 1, maxLength: 8 }
        ),
        (rows) => {
          expect(parseCsvRows(toCsv(rows))).toEqual(rows)
        }
      )
    )
  })
})
