import {
  ENV_DELAY,
  ENV_FAULT,
  ENV_SERIAL,
  encodeDelay,
  type DelayRange,
} from '../renderer/renderer-config.js'
import type { FaultName } from './types.js'

export interface ChildEnvOptions {
  production: boolean
  renderDelayMs?: DelayRange | undefined
  fault?: FaultName | undefined
  serial?: boolean
}

/** Environment for renderer children: NODE_ENV=production picks React's production build. */
export function childEnv(options: ChildEnvOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env }
  if (options.production) {
    env.NODE_ENV = 'production'
  }
  env[ENV_DELAY] = encodeDelay(options.renderDelayMs)
  env[ENV_FAULT] = options.fault === 'module-state' ? 'module-state' : ''
  env[ENV_SERIAL] = options.serial === true ? '1' : ''
  return env
}
