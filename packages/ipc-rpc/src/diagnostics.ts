// All diagnostics_channel names of this package in one table. Publishing is guarded by
// `hasSubscribers`, so an unobserved channel costs one property read per call.
import diagnosticsChannel from 'node:diagnostics_channel'

export const channels = {
  /** a call was dispatched to the other side: CallStartMessage */
  callStart: 'crosstalk:ipc-rpc:call:start',
  /** a call resolved with the other side's reply: CallEndMessage */
  callEnd: 'crosstalk:ipc-rpc:call:end',
  /** a call rejected (remote error, timeout, abort, peer gone, close, ...): CallErrorMessage */
  callError: 'crosstalk:ipc-rpc:call:error',
  /** a reply was dropped (unknown id, late, duplicate, malformed): ReplyDroppedMessage */
  replyDropped: 'crosstalk:ipc-rpc:reply:dropped',
  /** the other side went away (exit, disconnect, error, port close): PeerGoneMessage */
  peerGone: 'crosstalk:ipc-rpc:peer:gone',
  /** a pool child was spawned (published by the pool) */
  poolSpawn: 'crosstalk:ipc-rpc:pool:spawn',
  /** a pool child exited (published by the pool) */
  poolExit: 'crosstalk:ipc-rpc:pool:exit',
  /** a pool child was replaced by recycling: its replacement is ready (published by the pool) */
  poolRecycle: 'crosstalk:ipc-rpc:pool:recycle',
  /** the pool's health changed: healthy / degraded / failing (published by the pool) */
  poolHealth: 'crosstalk:ipc-rpc:pool:health',
} as const

export type ChannelName = (typeof channels)[keyof typeof channels]

export interface CallStartMessage {
  endpoint: string
  method: string
  callId: number
  args: unknown[]
}
export interface CallEndMessage {
  endpoint: string
  method: string
  callId: number
  result: unknown
}
export interface CallErrorMessage {
  endpoint: string
  method: string
  callId: number
  error: Error
}
export type DropReason = 'unknown' | 'late' | 'duplicate' | 'malformed'
export interface ReplyDroppedMessage {
  endpoint: string
  reason: DropReason
  /** the id the reply carried, when it had one */
  callId: number | undefined
  message: unknown
}
export interface PeerGoneMessage {
  endpoint: string
  error: Error
  /** how many calls (in flight and queued) were rejected */
  rejected: number
}

export const callStartChannel = diagnosticsChannel.channel(channels.callStart)
export const callEndChannel = diagnosticsChannel.channel(channels.callEnd)
export const callErrorChannel = diagnosticsChannel.channel(channels.callError)
export const replyDroppedChannel = diagnosticsChannel.channel(channels.replyDropped)
export const peerGoneChannel = diagnosticsChannel.channel(channels.peerGone)
export const poolSpawnChannel = diagnosticsChannel.channel(channels.poolSpawn)
export const poolExitChannel = diagnosticsChannel.channel(channels.poolExit)
export const poolRecycleChannel = diagnosticsChannel.channel(channels.poolRecycle)
export const poolHealthChannel = diagnosticsChannel.channel(channels.poolHealth)
