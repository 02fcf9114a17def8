// Before any login: can we open a TCP connection to the target at all?
import { connect } from 'node:net'

export interface ProbeResult {
  /** host:port tried. */
  address: string
  /** The system error when no connection opened (e.g. `connect ECONNREFUSED 127.0.0.1:9`). */
  error?: string
  /** The signal aborted first: nothing is known. */
  aborted?: boolean
}

/** Opens one connection to the target and closes it; never rejects. */
export function probeTarget(
  target: URL,
  timeoutMs: number,
  signal?: AbortSignal
): Promise<ProbeResult> {
  const port = target.port !== '' ? Number(target.port) : target.protocol === 'https:' ? 443 : 80
  const host = target.hostname.replace(/^\[|\]$/g, '')
  const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
  return new Promise((resolve) => {
    const socket = connect({ host, port })
    const finish = (result: ProbeResult): void => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      socket.destroy()
      resolve(result)
    }
    const onAbort = (): void => finish({ address, aborted: true })
    const timer = setTimeout(
      () => finish({ address, error: `no connection to ${address} within ${timeoutMs} ms` }),
      timeoutMs
    )
    signal?.addEventListener('abort', onAbort, { once: true })
    socket.once('connect', () => finish({ address }))
    socket.once('error', (err: Error & { code?: string }) =>
      finish({ address, error: `cannot connect to ${address}: ${err.message}` })
    )
    if (signal?.aborted === true) {
      onAbort()
    }
  })
}
