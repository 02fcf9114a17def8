// @crosstalk/guard: stop a response that carries another user's identity from leaving the server.
export { createGuard } from './guard.js'
export type { Guard } from './guard.js'
export type {
  AllowlistRule,
  FailureMode,
  GuardMode,
  GuardOptions,
  IdMarker,
  MarkerOptions,
} from './options.js'
export { GUARD_MODES } from './options.js'
export type { Identity, MarkerValue } from './identity/identity.js'
export type { RegistryOptions, EvictionReason } from './identity/registry.js'
export type { FastifyGuardOptions, FastifyRouteGuardConfig } from './fastify/plugin.js'
export type { HttpGuardOptions, Middleware } from './http/middleware.js'
export type { GuardCounters, GuardStats } from './report/stats.js'
export type { ScannerStats, ThreadStats } from './detection/body-scanner.js'
export type { GuardLogger } from './report/log-line.js'
export { channels } from './report/diagnostics.js'
export type {
  ErrorMessage,
  LeakAction,
  LeakMessage,
  LeakReason,
  ResponseRef,
  UncheckedMessage,
} from './report/diagnostics.js'
export * from './errors.js'
