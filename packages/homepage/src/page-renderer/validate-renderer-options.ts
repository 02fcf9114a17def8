// The renderer options' rules, shared by createPageRenderer and buildApp's config: bad input is
// HOME_ERR_BAD_OPTION naming the option and the value.
import { HomeBadOptionError } from '../errors.js'
import { FAULT_NAMES, IPC_MODES, isFaultName, isIpcMode } from '../render-contract/switches.js'
import type { PageRendererOptions } from './types.js'

function bad(message: string): HomeBadOptionError {
  return new HomeBadOptionError(message)
}

/** Any subset of the options; an absent or undefined one is not checked. */
export type RendererOptionsToCheck = {
  [K in keyof PageRendererOptions]?: PageRendererOptions[K] | undefined
}

export function validateRendererOptions(o: RendererOptionsToCheck): void {
  if (o.mode !== undefined && !isIpcMode(o.mode)) {
    throw bad(`ipc mode must be one of ${IPC_MODES.join(', ')}, got ${String(o.mode)}`)
  }
  if (o.fault !== undefined && !isFaultName(o.fault)) {
    throw bad(`fault must be one of ${FAULT_NAMES.join(', ')}, got ${String(o.fault)}`)
  }
  if (
    o.renderers !== undefined &&
    (!Number.isSafeInteger(o.renderers) || o.renderers < 1 || o.renderers > 64)
  ) {
    throw bad(`renderers must be an integer in 1..64, got ${String(o.renderers)}`)
  }
  if (
    o.renderTimeoutMs !== undefined &&
    (!Number.isFinite(o.renderTimeoutMs) || !(o.renderTimeoutMs > 0))
  ) {
    throw bad(`renderTimeoutMs must be a positive number, got ${String(o.renderTimeoutMs)}`)
  }
  const d = o.renderDelayMs
  if (d !== undefined && !(d.min >= 0 && d.max >= d.min && Number.isFinite(d.max))) {
    throw bad('renderDelayMs must be { min, max } with 0 <= min <= max')
  }
  const s = o.slowRender
  if (s !== undefined && !(Number.isSafeInteger(s.every) && s.every >= 1 && s.ms >= 0)) {
    throw bad('slowRender must be { every, ms } with every an integer >= 1 and ms >= 0')
  }
}
