// The scan thread (scan-thread.ts): a detector of its own, told every identity change and body in
// the order the guard made them. It answers each batch of scans with one message; a scan that
// throws is answered with its error's message, and the event loop then scans that body itself.
import { parentPort, workerData } from 'node:worker_threads'
import type { RouteAllowlist } from './body-scanner.js'
import { createDetectScanner } from './detect-scanner.js'
import type { DetectConfig } from './detect-scanner.js'
import type { ThreadReply, ThreadRequest } from './scan-thread.js'

const scanner = createDetectScanner(workerData as DetectConfig)
const allowlists = new Map<number, RouteAllowlist>()
const port = parentPort!

port.on('message', (batch: ThreadRequest[]) => {
  const replies: ThreadReply[] = []
  for (const m of batch) {
    try {
      switch (m.t) {
        case 'set':
          scanner.set(m.identity)
          break
        case 'delete':
          scanner.delete(m.id)
          break
        case 'allowlist':
          allowlists.set(m.id, scanner.allowlist(m.rules, m.where))
          break
        case 'scan': {
          const route = m.allowlist === undefined ? undefined : allowlists.get(m.allowlist)
          replies.push({
            seq: m.seq,
            scan: scanner.scan(m.body, m.contentType, m.owner, m.page, route),
          })
          break
        }
        case 'flush':
          void scanner.flush().then(() => port.postMessage([{ seq: m.seq }]))
          break
      }
    } catch (err) {
      if (m.t === 'scan' || m.t === 'flush') {
        replies.push({ seq: m.seq, error: err instanceof Error ? err.message : String(err) })
      }
    }
  }
  if (replies.length > 0) {
    port.postMessage(replies)
  }
})
