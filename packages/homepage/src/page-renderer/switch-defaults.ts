// What each leak switch defaults to, so that the switch alone reproduces its incident under a
// modest load (docs/faults.md states these). An explicit option or flag overrides its own default.
import type { DelayRange, SlowRender } from '../render-contract/renderer-config.js'
import type { FaultName, IpcMode } from '../render-contract/switches.js'

export interface RenderDefaults {
  renderTimeoutMs: number
  renderDelayMs?: DelayRange
  slowRender?: SlowRender
}

/** The correct build: no simulated delay, a generous deadline. */
export const BASE_RENDER_DEFAULTS: Readonly<RenderDefaults> = Object.freeze({
  renderTimeoutMs: 2000,
})

const SWITCH_DEFAULTS: Readonly<Record<'naive' | FaultName, Partial<RenderDefaults>>> = {
  // Data loading makes concurrent renders on one child overlap, as in the story.
  naive: { renderDelayMs: { min: 0, max: 25 } },
  // A slow dependency: every 100th render of a child takes 250 ms against a 100 ms deadline, so
  // replies do arrive late (ChatGPT's incident began with a surge of cancelled requests).
  'fifo-timeout': { renderTimeoutMs: 100, slowRender: { every: 100, ms: 250 } },
  // The await that lets another render overwrite the module variable.
  'module-state': { renderDelayMs: { min: 0, max: 25 } },
  // Any two visits of '/' within the cache's TTL share a page: no delay needed.
  'shared-cache': {},
}

/** Defaults for a mode and fault: the fault's own, then naive's, then the base. */
export function renderDefaults(ipc: IpcMode, fault: FaultName | undefined): RenderDefaults {
  return {
    ...BASE_RENDER_DEFAULTS,
    ...(ipc === 'naive' ? SWITCH_DEFAULTS.naive : {}),
    ...(fault === undefined ? {} : SWITCH_DEFAULTS[fault]),
  }
}
