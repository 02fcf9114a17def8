// The live progress line: rewritten in place with \r on a TTY, plain periodic lines otherwise.
import type { ProgressSnapshot } from '../report/types.js'

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000))
  const m = Math.floor(s / 60)
  return m > 0 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`
}

export function formatProgress(p: ProgressSnapshot): string {
  const remaining = p.remainingMs === undefined ? '' : ` / ${formatDuration(p.remainingMs)} left`
  return (
    `${p.requests} req (${Math.round(p.rps)}/s)  checked ${p.responsesChecked}  ` +
    `leaking ${p.leakingResponses}  errors ${p.errors}  ${formatDuration(p.elapsedMs)}${remaining}`
  )
}

export interface ProgressWriter {
  update(p: ProgressSnapshot): void
  /** Clear the TTY line so the summary starts on a clean line. */
  done(): void
}

export interface ProgressStream {
  write(chunk: string): boolean
  isTTY?: boolean
}

/** Off a TTY, print at most one line per `plainEveryMs` so CI logs stay short. */
export function createProgressWriter(
  stream: ProgressStream,
  options: { quiet: boolean; plainEveryMs?: number }
): ProgressWriter {
  if (options.quiet) {
    return { update: () => undefined, done: () => undefined }
  }
  if (stream.isTTY === true) {
    let shown = false
    return {
      update(p) {
        stream.write(`\r${formatProgress(p)}\u001b[K`)
        shown = true
      },
      done() {
        if (shown) {
          stream.write('\r\u001b[K')
        }
      },
    }
  }
  const every = options.plainEveryMs ?? 5000
  let last = -Infinity
  return {
    update(p) {
      if (p.elapsedMs - last >= every) {
        last = p.elapsedMs
        stream.write(`progress: ${formatProgress(p)}\n`)
      }
    },
    done: () => undefined,
  }
}

/** Colour only on a TTY and never with NO_COLOR set (https://no-color.org); a flag wins. */
export function useColor(
  flag: boolean | undefined,
  isTTY: boolean | undefined,
  env: NodeJS.ProcessEnv
): boolean {
  if (flag !== undefined) {
    return flag && (env.NO_COLOR === undefined || env.NO_COLOR === '')
  }
  return isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '')
}
