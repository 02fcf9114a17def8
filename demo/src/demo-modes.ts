// The homepage configurations the demo hunts: the story's bug, the fix, and each fault switch.
// Each leaky one runs on its switch's own defaults (docs/faults.md): the switch alone reproduces it.
import { FAULT_NAMES, renderDefaults } from '@crosstalk/homepage'

export interface DemoMode {
  id: string
  label: string
  /** Extra `homepage serve` flags. */
  args: string[]
  /** Whether this configuration is expected to leak. */
  leaky: boolean
}

export const BUGGY: DemoMode = {
  id: 'naive',
  label: 'naive IPC (the bug)',
  args: ['--ipc', 'naive'],
  leaky: true,
}

// The fix under the same simulated data loading as the bug's default, so the rows compare.
const naiveDelay = renderDefaults('naive', undefined).renderDelayMs
export const FIXED: DemoMode = {
  id: 'correlated',
  label: 'correlated IPC (the fix)',
  args: naiveDelay === undefined ? [] : ['--render-delay', `${naiveDelay.min}-${naiveDelay.max}`],
  leaky: false,
}

export const FAULTS: readonly DemoMode[] = FAULT_NAMES.map((fault) => ({
  id: fault,
  label: `fault: ${fault}`,
  args: ['--fault', fault],
  leaky: true,
}))
