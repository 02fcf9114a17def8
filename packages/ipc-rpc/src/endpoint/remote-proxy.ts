// The `remote` proxy of endpoints and pools: `remote.render(req)` is `call('render', req)`. Names
// that code probes on any object are not methods, so awaiting, serialising, printing or matching
// the proxy sends nothing (call them with call('toJSON') if the other side really has them).

/** Probed by await, JSON.stringify, util.inspect, test matchers and React; never sent. */
const PROBED = new Set(['then', 'toJSON', 'inspect', 'asymmetricMatch', '$$typeof', 'nodeType'])

export function isProbedName(key: string): boolean {
  // Object.prototype's members (toString, valueOf, constructor, ...) answer as on a plain object.
  return PROBED.has(key) || key in Object.prototype
}

export function makeRemote<R extends object>(
  start: (method: string, args: unknown[]) => Promise<unknown>
): R {
  const cache = new Map<string, (...args: unknown[]) => Promise<unknown>>()
  return new Proxy({} as R, {
    get(target, key) {
      if (typeof key !== 'string' || isProbedName(key)) {
        return Reflect.get(target, key) as unknown
      }
      let fn = cache.get(key)
      if (fn === undefined) {
        fn = (...args: unknown[]) => start(key, args)
        cache.set(key, fn)
      }
      return fn
    },
  })
}
