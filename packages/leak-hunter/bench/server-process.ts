import { fork } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'

export interface BenchServer {
  url: string
  child: ChildProcess
  /** Pages served so far (GET / with a valid session). */
  hits(): Promise<number>
  /** CPU time the server process has used so far, µs. */
  cpu(): Promise<number>
  close(): Promise<void>
}

/** Forks the fixture server with `accounts` accounts and resolves once it listens on 127.0.0.1. */
export async function startBenchServer(accounts: number): Promise<BenchServer> {
  const entry = fileURLToPath(new URL('./fixture-server.ts', import.meta.url))
  const child = fork(entry, [String(accounts)], { execArgv: ['--import', 'tsx'], stdio: 'inherit' })
  const [msg] = (await once(child, 'message')) as [{ port: number }]
  return {
    url: `http://127.0.0.1:${msg.port}`,
    child,
    async hits() {
      child.send('hits')
      const [reply] = (await once(child, 'message')) as [{ hits: number }]
      return reply.hits
    },
    async cpu() {
      child.send('cpu')
      const [reply] = (await once(child, 'message')) as [{ cpu: number }]
      return reply.cpu
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit')
        child.kill('SIGTERM')
        await exited
      }
    },
  }
}
