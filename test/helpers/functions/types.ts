/** What the test function does with deliveries; PUT as JSON to /__behaviour (see test/fixtures/functions/behaviour.js). */
export interface Behaviour {
  /**
   * 'cloudevents' (default): a request that is not a CloudEvent gets 400. 'any': it is recorded too
   * (mode 'other', data the parsed JSON or the text; id the webhook-id header), e.g. Lambda's Kafka event shape.
   */
  readonly accept?: 'cloudevents' | 'any'
  /** `whsec_<base64>` secrets; a delivery signed by none of them gets 401. Absent or empty: not checked. */
  readonly secrets?: readonly string[]
  /** Answer `status` (default 503, with `Retry-After: retryAfter` seconds if set) to the first `times` deliveries of each ce-id (of `ids` only, if set). */
  readonly fail?: { times: number; status?: number; retryAfter?: number; ids?: readonly string[] }
  /** Wait `ms` before answering the first `times` deliveries (default: all) of each ce-id (of `ids` only, if set). */
  readonly slow?: { ms: number; times?: number; ids?: readonly string[] }
  /** Answer 400 to an event whose attribute (`type`, `id`, `partitionkey`, … or `data.<field>`) equals the value. */
  readonly reject?: readonly { attribute: string; equals: string | number | boolean }[]
}

/** One delivery request as the function saw it, in arrival order. */
export interface Received {
  /** 1, 2, … in arrival order. */
  readonly seq: number
  /** Date.now() in the function when the request arrived (workerd advances its clock only on I/O). */
  readonly receivedAt: number
  readonly method: string
  readonly path: string
  /** Lower-cased request headers. */
  readonly headers: Record<string, string>
  /** The raw body, as signed. */
  readonly body: string
  /** null when the request was refused before it was parsed (bad signature, not a CloudEvent); 'other' for a non-CloudEvent accepted with accept: 'any'. */
  readonly mode: 'binary' | 'structured' | 'other' | null
  readonly id: string | null
  readonly type: string | null
  readonly source: string | null
  /** The CloudEvents `partitionkey` extension, if the delivery carried one. */
  readonly partitionKey: string | null
  /** Every CloudEvents context attribute, extensions included. */
  readonly attributes: Record<string, unknown> | null
  readonly data: unknown
  /** 1 for the first delivery of this ce-id since start or reset(). */
  readonly attempt: number
  readonly signature: 'valid' | 'invalid' | 'unchecked'
  /** The status answered; null while the answer is still delayed by `slow`. */
  readonly status: number | null
  /** Date.now() in the function when it answered; null while pending. */
  readonly answeredAt: number | null
  /** Why the function answered 4xx/5xx. */
  readonly error: string | null
}

export type RuntimeName = 'functions-framework' | 'workerd'

export interface WaitOptions {
  /** Default 10 000 ms. */
  readonly timeoutMs?: number
  /** Counts only the deliveries it accepts; default: every delivery. */
  readonly where?: (delivery: Received) => boolean
}

export interface FunctionEndpoint {
  readonly runtime: RuntimeName
  /** Base URL (http://127.0.0.1:<port>); deliveries go to any path but /__*. */
  readonly url: string
  readonly pid: number
  /** Every delivery so far, oldest first. */
  received(): Promise<Received[]>
  /** Resolves with the matching deliveries once at least `count` match; rejects after the timeout with what arrived. */
  waitFor(count: number, options?: WaitOptions): Promise<Received[]>
  /** Replaces the behaviour; rejects with the function's message if it is invalid. */
  setBehaviour(behaviour: Behaviour): Promise<void>
  /** Forgets deliveries and attempt counts (the behaviour stays). */
  reset(): Promise<void>
  /** The runtime's recent stdout and stderr. */
  logs(): string
  /** Kills the runtime's process group; idempotent. */
  stop(): Promise<void>
}

export interface StartOptions {
  readonly behaviour?: Behaviour
  /** Default 20 000 ms. */
  readonly startupTimeoutMs?: number
  /** A loopback port to listen on; default a free one. */
  readonly port?: number
}
