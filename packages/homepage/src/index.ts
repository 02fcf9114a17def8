export { buildApp } from './server/build-app.js'
export type { AppOptions, RateLimitOptions } from './config.js'
export { FAULT_NAMES, IPC_MODES } from './config.js'
export {
  HomeBadCredentialsError,
  HomeBadHashError,
  HomeBadOptionError,
  HomeBadRequestError,
  HomeCrossSiteError,
  HomeCsrfError,
  HomeError,
  HomeNotFoundError,
  HomeRateLimitedError,
  HomeRenderMismatchError,
  HomeRenderTimeoutError,
  HomeRendererUnavailableError,
  HomeStoreError,
  HomeUnauthenticatedError,
  HomeUsageError,
} from './errors.js'
export { DEMO_SCRYPT, OWASP_SCRYPT, hashPassword, verifyPassword } from './auth/password.js'
export type { ScryptParams } from './auth/password.js'
export { seedUsers } from './seed/seed-users.js'
export type { SeedOptions, SeedResult, SeededAccount } from './seed/seed-users.js'
export type {
  FaultName,
  HomePageData,
  IpcMode,
  PageRenderer,
  PageRendererOptions,
  RenderReply,
  RenderRequest,
} from './render/index.js'
export { clientAssetsDir, createPageRenderer } from './render/index.js'
