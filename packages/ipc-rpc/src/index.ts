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
  BadOptionError,
  NoParentError,
} from './errors.js'
export type { RpcErrorCode, PeerGoneDetails } from './errors.js'
