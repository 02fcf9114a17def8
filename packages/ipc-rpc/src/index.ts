export { createEndpoint } from './endpoint/create-endpoint.js'
export type {
  Api,
  CallContext,
  CallOptions,
  Endpoint,
  EndpointOptions,
  EndpointStats,
  Handlers,
  RemoteMethods,
} from './endpoint/types.js'
export type { PeerGoneInfo, PeerInfo, Serialization, Transport } from './endpoint/transport.js'
export { childProcessTransport } from './transports/child-process-transport.js'
export type { ChildProcessTransportOptions } from './transports/child-process-transport.js'
export { processTransport } from './transports/process-transport.js'
export type { ProcessTransportOptions } from './transports/process-transport.js'
export { workerTransport } from './transports/worker-transport.js'
export type { WorkerTransportOptions } from './transports/worker-transport.js'
export { parentPortTransport } from './transports/parent-port-transport.js'
export { messagePortTransport } from './transports/message-port-transport.js'
export { createTransport } from './transports/create-transport.js'
export type { TransportAdapter } from './transports/create-transport.js'
export { encodeError, decodeError } from './protocol/error-codec.js'
export type { EncodedError, EncodedValue, ErrorClasses } from './protocol/error-codec.js'
export { ENVELOPE_TAG, ENVELOPE_VERSION, isEnvelope } from './protocol/envelope.js'
export type { Envelope, EnvelopeKind } from './protocol/envelope.js'
export { channels } from './diagnostics.js'
export type {
  CallEndMessage,
  CallErrorMessage,
  CallStartMessage,
  ChannelName,
  DropReason,
  PeerGoneMessage,
  ReplyDroppedMessage,
} from './diagnostics.js'
export {
  RpcError,
  TimeoutError,
  AbortedError,
  ClosedError,
  PeerGoneError,
  RemoteError,
  MethodNotFoundError,
  UnserializableError,
  QueueFullError,
  QueueTimeoutError,
  BadOptionError,
  NoParentError,
} from './errors.js'
export type { ChildFailure, RpcErrorCode, PeerGoneDetails } from './errors.js'
export { createPool } from './pool/create-pool.js'
export type {
  Pool,
  PoolChildStats,
  PoolExitMessage,
  PoolHealth,
  PoolHealthMessage,
  PoolCallOptions,
  PoolOptions,
  PoolRecycleMessage,
  PoolSpawnMessage,
  PoolStats,
} from './pool/pool-types.js'
export { ChildHungError, PoolClosedError, PoolFailingError } from './errors.js'
