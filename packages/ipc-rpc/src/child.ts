// Child-side entry (`@crosstalk/ipc-rpc/child`): a forked process or a worker thread calls serve()
// to expose its handlers to the parent. Nothing here pulls in the pool.
import { isMainThread, parentPort } from 'node:worker_threads'
import { createEndpoint } from './endpoint/create-endpoint.js'
import type { Serialization } from './endpoint/transport.js'
import type { Api, Endpoint, EndpointOptions, Handlers } from './endpoint/types.js'
import { NoParentError } from './errors.js'
import { parentPortTransport } from './transports/parent-port-transport.js'
import { processTransport } from './transports/process-transport.js'

export interface ServeOptions<Local extends Api> extends Omit<EndpointOptions<Local>, 'handlers'> {
  /** forked children only: must match the parent's fork() serialization; default 'json' */
  serialization?: Serialization
}

/**
 * Exposes `handlers` to the parent: over parentPort inside a worker thread, else over process.send
 * in a forked child. Returns the endpoint, which can also call the parent (`Remote`).
 * @example serve<RendererApi>({ render: (req) => renderPage(req) })
 */
export function serve<Local extends Api, Remote extends Api = Record<never, never>>(
  handlers: Handlers<Local>,
  options: ServeOptions<Local> = {}
): Endpoint<Remote> {
  const { serialization, ...endpointOptions } = options
  let transport
  if (!isMainThread && parentPort !== null) {
    transport = parentPortTransport()
  } else if (typeof process.send === 'function') {
    transport = processTransport(process, serialization ? { serialization } : {})
  } else {
    throw new NoParentError()
  }
  return createEndpoint<Remote, Local>(transport, { ...endpointOptions, handlers })
}

export { createEndpoint } from './endpoint/create-endpoint.js'
export type {
  Api,
  CallContext,
  CallOptions,
  Endpoint,
  EndpointOptions,
  EndpointStats,
  Handlers,
} from './endpoint/types.js'
export { processTransport } from './transports/process-transport.js'
export { parentPortTransport } from './transports/parent-port-transport.js'
export {
  RpcError,
  RemoteError,
  TimeoutError,
  AbortedError,
  ClosedError,
  PeerGoneError,
  MethodNotFoundError,
  UnserializableError,
  NoParentError,
} from './errors.js'
