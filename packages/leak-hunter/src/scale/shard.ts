// `--shard I/N`: this process runs the I-th of N deterministic slices of the run (1-based, as
// Playwright and Jest count shards). In a Kubernetes Indexed Job the index comes from
// JOB_COMPLETION_INDEX (0-based) and the count from --shards or LEAK_HUNTER_SHARDS.
import { ArgsInvalidError } from '../errors.js'
import type { Slice } from '../engine/slice.js'

export interface ShardSpec {
  /** 1-based. */
  index: number
  count: number
}

/** The env variable that gives the shard count when the index comes from JOB_COMPLETION_INDEX. */
export const SHARDS_ENV = 'LEAK_HUNTER_SHARDS'

export function shardSlice(shard: ShardSpec): Slice {
  return { offset: shard.index - 1, stride: shard.count }
}

function wholeNumber(text: string): number | undefined {
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined
}

/** Parses `I/N` (1 <= I <= N). */
export function parseShard(text: string, flag = '--shard'): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text)
  const index = m === null ? undefined : Number(m[1])
  const count = m === null ? undefined : Number(m[2])
  if (index === undefined || count === undefined || count < 1 || index < 1 || index > count) {
    throw new ArgsInvalidError(
      `${flag}: expected I/N with 1 <= I <= N (the I-th of N shards), got "${text}"`
    )
  }
  return { index, count }
}

/**
 * The shard this process runs: `--shard I/N`; else, when a count is given (`--shards N` or
 * LEAK_HUNTER_SHARDS), index JOB_COMPLETION_INDEX + 1; else none.
 */
export function resolveShard(
  shardFlag: string | undefined,
  shardsFlag: string | undefined,
  env: Readonly<Record<string, string | undefined>>
): ShardSpec | undefined {
  if (shardFlag !== undefined) {
    if (shardsFlag !== undefined) {
      throw new ArgsInvalidError('--shard I/N and --shards N contradict each other: give one')
    }
    return parseShard(shardFlag)
  }
  const countText = shardsFlag ?? env[SHARDS_ENV]
  if (countText === undefined || countText === '') {
    return undefined
  }
  const source = shardsFlag !== undefined ? '--shards' : SHARDS_ENV
  const count = wholeNumber(countText)
  if (count === undefined || count < 1) {
    throw new ArgsInvalidError(`${source}: expected a whole number above 0, got "${countText}"`)
  }
  const indexText = env.JOB_COMPLETION_INDEX
  if (indexText === undefined || indexText === '') {
    throw new ArgsInvalidError(
      `${source} ${count} needs JOB_COMPLETION_INDEX (set by a Kubernetes Indexed Job) or --shard I/${count}`
    )
  }
  const index = wholeNumber(indexText)
  if (index === undefined || index >= count) {
    throw new ArgsInvalidError(
      `JOB_COMPLETION_INDEX: expected 0 to ${count - 1} (${source} ${count}), got "${indexText}"`
    )
  }
  return { index: index + 1, count }
}
