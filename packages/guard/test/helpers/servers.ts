// Real servers on 127.0.0.1 for the adapter tests, closed after each test.
import { createServer } from 'node:http'
import type { RequestListener, Server } from 'node:http'
import type { AddressInfo } from 'node:net'

const open = new Set<Server>()

export async function listen(handler: RequestListener | Server): Promise<string> {
  const server = typeof handler === 'function' ? createServer(handler) : handler
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  open.add(server)
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

export async function closeAll(): Promise<void> {
  await Promise.all(
    [...open].map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections()
          s.close(() => resolve())
        })
    )
  )
  open.clear()
}
