// process.send / subprocess.send without a callback on the hot path: with one, Node schedules a
// nextTick per message. Only when send() reports a backlog (false) to a sender that will wait do
// we send a small filler with a callback; it runs once everything queued before it is written.
import { NOP_MESSAGE } from '../protocol/envelope.js'

export type IpcSend = (
  message: unknown,
  handle?: undefined,
  options?: undefined,
  callback?: (err: Error | null) => void
) => boolean

export function ipcSend(
  send: IpcSend,
  message: unknown,
  done: ((err: Error | null) => void) | undefined
): boolean {
  if (send(message)) {
    return true
  }
  // A reply under load needs no drain notice: replies are bounded by the caller's maxInFlight.
  if (done !== undefined) {
    send(NOP_MESSAGE, undefined, undefined, done)
  }
  return false
}
