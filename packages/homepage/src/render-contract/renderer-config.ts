// Renderer children are configured once, through their environment, at start-up.

/** Simulated data loading before each render: a uniform delay in [min, max] ms. */
export interface DelayRange {
  min: number
  max: number
}

/** A slow dependency: every `every`-th render of a renderer takes `ms` instead of the delay. */
export interface SlowRender {
  every: number
  ms: number
}

export interface RendererConfig {
  delay: DelayRange | null
  slow: SlowRender | null
  /** The module-state fault switch (docs/faults.md); off unless the parent asked for it. */
  moduleStateFault: boolean
  /** Handle one render at a time, in arrival order (the fifo-timeout fault's child). */
  serial: boolean
}

export const ENV_DELAY = 'CROSSTALK_RENDER_DELAY'
export const ENV_SLOW = 'CROSSTALK_RENDER_SLOW'
export const ENV_FAULT = 'CROSSTALK_RENDER_FAULT'
export const ENV_SERIAL = 'CROSSTALK_RENDER_SERIAL'

/** First message of a plain-IPC renderer child (naive-child.ts). */
export const READY_MESSAGE = 'crosstalk:renderer-ready'

export function encodePair(pair: DelayRange | SlowRender | undefined): string {
  if (pair === undefined) {
    return ''
  }
  return 'every' in pair ? `${pair.every},${pair.ms}` : `${pair.min},${pair.max}`
}

function parsePair(text: string | undefined): [number, number] | null {
  if (text === undefined || text === '') {
    return null
  }
  const [a, b] = text.split(',').map(Number)
  return a === undefined || b === undefined || !(a >= 0) || !(b >= 0) ? null : [a, b]
}

export function readRendererConfig(env: NodeJS.ProcessEnv): RendererConfig {
  const delay = parsePair(env[ENV_DELAY])
  const slow = parsePair(env[ENV_SLOW])
  return {
    delay: delay === null || delay[1] < delay[0] ? null : { min: delay[0], max: delay[1] },
    slow: slow === null || slow[0] < 1 ? null : { every: slow[0], ms: slow[1] },
    moduleStateFault: env[ENV_FAULT] === 'module-state',
    serial: env[ENV_SERIAL] === '1',
  }
}
