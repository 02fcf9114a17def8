import { fileURLToPath } from 'node:url'
import {
  ENV_DELAY,
  ENV_FAULT,
  ENV_SERIAL,
  encodeDelay,
  type DelayRange,
} from '../renderer/renderer-config.js'
import { childExecArgv } from './renderer-entry.js'
import type { FaultName } from './types.js'

const tsxTsconfig =
  childExecArgv.length > 0
    ? fileURLToPath(new URL('../../tsconfig.json', import.meta.url))
    : undefined

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
  if (tsxTsconfig !== undefined) {
    // tsx reads the tsconfig of its cwd; this package's one sets the automatic JSX runtime.
    env.TSX_TSCONFIG_PATH = tsxTsconfig
  }
  return env
}
