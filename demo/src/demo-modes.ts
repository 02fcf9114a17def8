// The homepage configurations the demo hunts: the story's bug, the fix, and each fault switch.
export interface DemoMode {
  id: string
  label: string
  /** Extra `homepage serve` flags. */
  args: string[]
  /** Whether this configuration is expected to leak. */
  leaky: boolean
}

/** Render delays make concurrent renders overlap the way real data loading does. */
const DELAY = ['--render-delay', '0-25']

export const BUGGY: DemoMode = {
  id: 'naive',
  label: 'naive IPC (the bug)',
  args: ['--ipc', 'naive', ...DELAY],
  leaky: true,
}

export const FIXED: DemoMode = {
  id: 'correlated',
  label: 'correlated IPC (the fix)',
  args: [...DELAY],
  leaky: false,
}

export const FAULTS: readonly DemoMode[] = [
  {
    id: 'fifo-timeout',
    label: 'fault: fifo-timeout',
    // Some renders outlive the deadline, so late replies exist to be taken by the next request.
    args: ['--fault', 'fifo-timeout', '--render-delay', '0-60', '--render-timeout', '40'],
    leaky: true,
  },
  {
    id: 'module-state',
    label: 'fault: module-state',
    args: ['--fault', 'module-state', ...DELAY],
    leaky: true,
  },
  {
    id: 'shared-cache',
    label: 'fault: shared-cache',
    args: ['--fault', 'shared-cache'],
    leaky: true,
  },
]
