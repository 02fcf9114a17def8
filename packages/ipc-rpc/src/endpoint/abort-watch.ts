// One 'abort' listener per AbortSignal, however many calls share it: a signal passed to hundreds
// of calls would otherwise get hundreds of listeners (and MaxListenersExceededWarning past 10).

/** What a watched signal tells when it fires: an outgoing call, a ping, a call in the pool's queue. */
export interface AbortTarget {
  handleEvent(): void
}

const watched = new WeakMap<AbortSignal, Set<AbortTarget>>()

function onAbort(event: Event): void {
  const signal = event.target as AbortSignal
  const targets = watched.get(signal)
  watched.delete(signal)
  // In the order the calls were made; a target may unwatch others while this runs.
  for (const target of targets ?? []) {
    target.handleEvent()
  }
}

export function watchAbort(signal: AbortSignal, target: AbortTarget): void {
  let targets = watched.get(signal)
  if (targets === undefined) {
    targets = new Set()
    watched.set(signal, targets)
    signal.addEventListener('abort', onAbort, { once: true })
  }
  targets.add(target)
}

export function unwatchAbort(signal: AbortSignal, target: AbortTarget): void {
  const targets = watched.get(signal)
  if (targets !== undefined && targets.delete(target) && targets.size === 0) {
    watched.delete(signal)
    signal.removeEventListener('abort', onAbort)
  }
}
