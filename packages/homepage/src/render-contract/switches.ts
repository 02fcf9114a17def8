// The renderer's switches, one list each; the types are derived from the lists, so a name added
// here is valid everywhere (CLI, buildApp, createPageRenderer, the children's environment).

/** How the server reaches its renderers. 'correlated' is the fix; 'naive' is the story's bug. */
export const IPC_MODES = ['correlated', 'naive', 'in-process'] as const
export type IpcMode = (typeof IPC_MODES)[number]

/** Fault switches, each reproducing one real incident (docs/faults.md). All off by default. */
export const FAULT_NAMES = ['fifo-timeout', 'module-state', 'shared-cache'] as const
export type FaultName = (typeof FAULT_NAMES)[number]

export function isIpcMode(value: unknown): value is IpcMode {
  return (IPC_MODES as readonly unknown[]).includes(value)
}

export function isFaultName(value: unknown): value is FaultName {
  return (FAULT_NAMES as readonly unknown[]).includes(value)
}
