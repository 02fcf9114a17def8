// TEMPORARY until the DETECT renderers land: the CLI's only import point for report output.
import type { HuntEvent, HuntReport, TerminalReportOptions } from '../report/types.js'
import { createWriteStream } from 'node:fs'

export function renderTerminalReport(report: HuntReport, _options: TerminalReportOptions): string {
  return `verdict: ${report.verdict}\nrequests: ${report.summary.requests}\nleaks: ${report.summary.leaks.count}\n`
}

export function renderHtmlReport(report: HuntReport): string {
  return `<!doctype html><pre>${JSON.stringify(report).replace(/</g, '&lt;')}</pre>`
}

export interface EventWriter {
  write(event: HuntEvent): void
  close(): Promise<void>
}

export async function createEventWriter(path: string): Promise<EventWriter> {
  const stream = createWriteStream(path)
  await new Promise((resolve, reject) => {
    stream.once('open', resolve)
    stream.once('error', reject)
  })
  return {
    write: (e) => void stream.write(`${JSON.stringify(e)}\n`),
    close: () => new Promise((resolve) => stream.end(resolve)),
  }
}
