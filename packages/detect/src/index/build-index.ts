// Building a MarkerIndex: at once (buildIndex), or off the request path, in slices that yield to
// the event loop or in a worker thread (buildIndexInBackground). All three run the same
// generators (compile-index.ts), so they build the same index.
import { setImmediate as nextTurn } from 'node:timers/promises'
import { run } from '../automaton/build-tables.js'
import { AbortedError, OptionsInvalidError } from '../errors.js'
import type { Identity, IndexOptions, MarkerIndex, ResolvedIndexOptions } from '../types.js'
import { BuildThread } from './build-thread.js'
import { CompiledIndex } from './compiled-index.js'
import { collect, compile, compileOptions, readIdentities } from './compile-index.js'
import { resolveOptions } from './options.js'
import { Snapshot } from './snapshot.js'

/** How a background build runs. */
export interface BackgroundOptions {
  /** 'slices' (default): on this thread, yielding every `sliceMs`; 'worker': in a worker thread. */
  mode?: 'slices' | 'worker'
  /** Longest stretch of building between two turns of the event loop, in slices mode. Default 4 ms. */
  sliceMs?: number
  signal?: AbortSignal
}

/**
 * Builds an index over `identities` at once. Values are normalised like bodies (whitespace, NFC,
 * invisible characters), trimmed, folded when case-insensitive and (free text only) dropped below
 * minLength. A value several identities hold is listed in `ambiguities`. Throws DetectError.
 */
export function buildIndex<T extends Identity>(
  identities: Iterable<T>,
  options: IndexOptions
): MarkerIndex<T> {
  const resolved = resolveOptions(options)
  const list = [...identities]
  const collected = run(collect(list, resolved))
  return single(
    new CompiledIndex(run(compile(collected.input)), collected.slots, list, resolved),
    resolved
  )
}

/** buildIndex() without stalling the event loop; see BackgroundOptions. */
export async function buildIndexInBackground<T extends Identity>(
  identities: Iterable<T>,
  options: IndexOptions,
  background: BackgroundOptions = {}
): Promise<MarkerIndex<T>> {
  const resolved = resolveOptions(options)
  const thread = background.mode === 'worker' ? new BuildThread() : undefined
  try {
    const compiled = await compileInBackground([...identities], resolved, background, thread)
    return single(compiled, resolved)
  } finally {
    await thread?.close()
  }
}

/** A CompiledIndex built off the request path (also a live index's rebuild). */
export async function compileInBackground<T extends Identity>(
  list: readonly T[],
  options: ResolvedIndexOptions,
  background: BackgroundOptions,
  thread: BuildThread | undefined
): Promise<CompiledIndex<T>> {
  const sliceMs = background.sliceMs ?? 4
  if (!(sliceMs > 0)) {
    throw new OptionsInvalidError('sliceMs', `expected a number of ms > 0, got ${sliceMs}`)
  }
  const { signal } = background
  if (signal?.aborted === true) {
    throw new AbortedError(signal.reason)
  }
  if (thread === undefined) {
    const collected = await inSlices(collect(list, options), sliceMs, signal)
    const tables = await inSlices(compile(collected.input), sliceMs, signal)
    return new CompiledIndex(tables, collected.slots, list, options)
  }
  // The thread's copy is empty: give it `list` (in parts, as it checks them), then compile.
  await inSlices(
    readIdentities(list, options, (_, identity, values) => thread.set(identity.id, values)),
    sliceMs,
    signal
  )
  return compileInWorker(list, options, thread, signal)
}

/**
 * Compiles what `thread` holds, which must be `list` in that order; the worker also finds each
 * id's slot. The request goes out before this returns.
 */
export async function compileInWorker<T extends Identity>(
  list: readonly T[],
  options: ResolvedIndexOptions,
  thread: BuildThread,
  signal: AbortSignal | undefined
): Promise<CompiledIndex<T>> {
  const { tables, slots } = await thread.compile(compileOptions(options), list.length, signal)
  // Its own tables built, the automaton derives a few small ones here (about 1 ms).
  return new CompiledIndex(tables, slots, list, options)
}

/** Runs a build generator, giving the event loop a turn every `sliceMs`. */
async function inSlices<R>(
  build: Generator<void, R>,
  sliceMs: number,
  signal: AbortSignal | undefined
): Promise<R> {
  let until = performance.now() + sliceMs
  for (;;) {
    const step = build.next()
    if (step.done === true) {
      return step.value
    }
    if (performance.now() >= until) {
      await nextTurn()
      if (signal?.aborted === true) {
        throw new AbortedError(signal.reason)
      }
      until = performance.now() + sliceMs
    }
  }
}

function single<T extends Identity>(
  index: CompiledIndex<T>,
  options: ResolvedIndexOptions
): Snapshot<T> {
  return new Snapshot(options, [{ index, dead: undefined, deadCount: 0 }])
}
