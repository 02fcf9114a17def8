// Call ids are unique per channel, not per endpoint: an endpoint opened on a channel after another
// was closed continues its sequence, so a late reply to the old endpoint can never match a new call.
const lastIds = new WeakMap<object, number>()

export function firstIdAfter(channel: object | undefined): number {
  return channel === undefined ? 0 : (lastIds.get(channel) ?? 0)
}

export function rememberLastId(channel: object | undefined, lastId: number): void {
  if (channel !== undefined && lastId > (lastIds.get(channel) ?? 0)) {
    lastIds.set(channel, lastId)
  }
}
