// One call this side made. A class (not closures) so the hot path allocates one object per call;
// it doubles as the AbortSignal listener (`handleEvent`) and the outbox's Unsendable.

export const QUEUED = 0
export const SENT = 1
export const SETTLED = 2
export type CallState = typeof QUEUED | typeof SENT | typeof SETTLED

export interface CallOwner {
  abortCall(call: OutgoingCall): void
  unsendableCall(call: OutgoingCall, err: unknown): void
}

const NO_ARGS: unknown[] = []

export class OutgoingCall {
  state: CallState = QUEUED
  resolve: (value: unknown) => void = noop
  reject: (error: Error) => void = noop
  timer: NodeJS.Timeout | undefined = undefined
  args: unknown[]
  constructor(
    readonly owner: CallOwner,
    readonly id: number,
    readonly method: string,
    args: unknown[],
    readonly timeoutMs: number,
    readonly signal: AbortSignal | undefined
  ) {
    this.args = args
  }

  /** Drops the arguments once sent, so a large payload is not kept alive until the reply. */
  releaseArgs(): void {
    this.args = NO_ARGS
  }

  handleEvent(): void {
    this.owner.abortCall(this)
  }

  /** Called by the outbox when the request cannot be serialized. */
  unsendable(err: unknown): void {
    this.owner.unsendableCall(this, err)
  }
}

function noop(): void {}
