// Where the renderer children's entry files are, and how to start them.
import { fileURLToPath } from 'node:url'

// Under Vitest/tsx this module is .ts and children need tsx; from dist/ they run plain .js.
const runningTs = import.meta.url.endsWith('.ts')

export const childExecArgv: string[] = runningTs ? ['--import', 'tsx'] : []

function entry(name: string): string {
  return fileURLToPath(
    new URL(`../renderer-child/${name}${runningTs ? '.ts' : '.js'}`, import.meta.url)
  )
}

/** ipc-rpc renderer child (correlated mode). */
export const rendererProcessEntry: string = entry('renderer-process')
/** Plain-IPC renderer child (naive mode, fifo-timeout fault). */
export const naiveChildEntry: string = entry('naive-child')
