// Renderer children are configured once, through their environment, at start-up.

export interface DelayRange {
  min: number
  max: number
}

export interface RendererConfig {
  delay: DelayRange | null
  /** The module-state fault switch (docs/faults.md); off unless the parent asked for it. */
  moduleStateFault: boolean
  /** Handle one render at a time, in arrival order (the fifo-timeout fault's child). */
  serial: boolean
}

export const ENV_DELAY = 'CROSSTALK_RENDER_DELAY'
export const ENV_FAULT = 'CROSSTALK_RENDER_FAULT'
export const ENV_SERIAL = 'CROSSTALK_RENDER_SERIAL'

/** First message of a plain-IPC renderer child (naive-child.ts). */
export const READY_MESSAGE = 'crosstalk:renderer-ready'

export function encodeDelay(range: DelayRange | undefined): string {
  return range === undefined ? '' : `${range.min},${range.max}`
}

function parseDelay(text: string | undefined): DelayRange | null {
  if (text === undefined || text === '') {
    return null
  }
  const [min, max] = text.split(',').map(Number)
  if (min === undefined || max === undefined || !(min >= 0) || !(max >= min)) {
    return null
  }
  return { min, max }
}

export function readRendererConfig(env: NodeJS.ProcessEnv): RendererConfig {
  return {
    delay: parseDelay(env[ENV_DELAY]),
    moduleStateFault: env[ENV_FAULT] === 'module-state',
    serial: env[ENV_SERIAL] === '1',
  }
}
