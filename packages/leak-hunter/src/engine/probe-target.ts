// Before any login: can we open a TCP connection to the target at all?
import { connect } from 'node:net'

/** Resolves undefined when a connection opens, else the error message. */
export function probeTarget(target: URL, timeoutMs: number): Promise<string | undefined> {
  const port = target.port !== '' ? Number(target.port) : target.protocol === 'https:' ? 443 : 80
  const host = target.hostname.replace(/^\[|\]$/g, '')
  return new Promise((resolve) => {
    const socket = connect({ host, port })
    const finish = (problem: string | undefined): void => {
      clearTimeout(timer)
      socket.destroy()
      resolve(problem)
    }
    const timer = setTimeout(
      () => finish(`no connection to ${host}:${port} within ${timeoutMs} ms`),
      timeoutMs
    )
    socket.once('connect', () => finish(undefined))
    socket.once('error', (err: Error & { code?: string }) =>
      finish(`cannot connect to ${host}:${port}: ${err.code ?? err.message}`)
    )
  })
}
