export { buildApp } from './server/build-app.js'
export type { AppOptions, HashingOptions, RateLimitOptions } from './config.js'
export { FAULT_NAMES, IPC_MODES } from './page-renderer/index.js'
export {
  HomeBadCredentialsError,
  HomeBadHashError,
  HomeBadOptionError,
  HomeBadRequestError,
  HomeBusyError,
  HomeCrossSiteError,
  HomeCsrfError,
  HomeError,
  HomeNotFoundError,
  HomeRateLimitedError,
  HomeRenderMismatchError,
  HomeRetryLaterError,
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
  DelayRange,
  FaultName,
  HomePageData,
  IpcMode,
  PageRenderer,
  PageRendererOptions,
  RenderReply,
  RenderRequest,
  SlowRender,
} from './page-renderer/index.js'
export { clientAssetsDir, createPageRenderer } from './page-renderer/index.js'
export { renderDefaults } from './page-renderer/switch-defaults.js'
