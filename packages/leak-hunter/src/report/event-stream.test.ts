import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { createEventWriter, formatEvent } from './event-stream.js'
import { buildSampleReport } from '../../test/fixtures/sample-report.js'
import type { HuntEvent } from './types.js'

const dirs: string[] = []
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })))
})

async function tempFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hunt-events-'))
  dirs.push(dir)
  return join(dir, 'events.ndjson')
}

describe('event stream', () => {
  test('writes one JSON object per line, in order, and close() flushes', async () => {
    const path = await tempFile()
    const writer = await createEventWriter(path)
    const report = buildSampleReport()
    const events: HuntEvent[] = [
      { type: 'run-start', t: 'a', seed: 's', virtualUsers: 2, config: {} },
      { type: 'login', t: 'b', vu: 0, account: 'mary', ok: true, ms: 12 },
      { type: 'finding', t: 'c', finding: report.findings[0]! },
      ...Array.from({ length: 2000 }, (_, i): HuntEvent => ({
        type: 'progress',
        t: `p${i}`,
        elapsedMs: i,
        requests: i,
        rps: 1,
        responsesChecked: i,
        leakingResponses: 0,
        warnings: 0,
        errors: 0,
      })),
      {
        type: 'run-end',
        t: 'z',
        verdict: 'leak',
        exitCode: 1,
        reasons: report.reasons,
        summary: report.summary,
      },
    ]
    events.forEach((e) => writer.write(e))
    await writer.close()
    const lines = (await readFile(path, 'utf8')).split('\n')
    expect(lines.pop()).toBe('')
    expect(lines.map((l) => JSON.parse(l))).toEqual(events)
  })

  test('a multi-line excerpt stays on one line', () => {
    const finding = { ...buildSampleReport().findings[0]! }
    finding.excerpt = { before: 'a\nb', match: 'x\r\ny', after: '\u2028' }
    const line = formatEvent({ type: 'finding', t: 't', finding })
    expect(line.indexOf('\n')).toBe(line.length - 1)
  })

  test('an unwritable path rejects before the run starts', async () => {
    const path = join(await tempFile(), 'no', 'such', 'dir.ndjson')
    await expect(createEventWriter(path)).rejects.toMatchObject({ code: 'ENOENT' })
  })
})
