import { fileURLToPath } from 'node:url'
import {
  ENV_DELAY,
  ENV_FAULT,
  ENV_SERIAL,
  ENV_SLOW,
  encodePair,
} from '../render-contract/renderer-config.js'
import { childExecArgv } from './child-entries.js'
import type { PageRendererOptions } from './types.js'

const tsxTsconfig =
  childExecArgv.length > 0
    ? fileURLToPath(new URL('../../tsconfig.json', import.meta.url))
    : undefined

/** Environment for renderer children: NODE_ENV=production picks React's production build. */
export function childEnv(
  options: Pick<PageRendererOptions, 'production' | 'renderDelayMs' | 'slowRender' | 'fault'>,
  serial = false
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env }
  if (options.production) {
    env.NODE_ENV = 'production'
  }
  env[ENV_DELAY] = encodePair(options.renderDelayMs)
  env[ENV_SLOW] = encodePair(options.slowRender)
  env[ENV_FAULT] = options.fault === 'module-state' ? 'module-state' : ''
  env[ENV_SERIAL] = serial ? '1' : ''
  if (tsxTsconfig !== undefined) {
    // tsx reads the tsconfig of its cwd; this package's one sets the automatic JSX runtime.
    env.TSX_TSCONFIG_PATH = tsxTsconfig
  }
  return env
}
