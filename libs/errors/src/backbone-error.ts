/** Where in Kafka an error happened, when it concerns a record. */
export interface ErrorContext {
  readonly topic?: string
  readonly partition?: number
  readonly offset?: string
  readonly [key: string]: unknown
}

export interface BackboneErrorOptions {
  readonly cause?: unknown
  readonly context?: ErrorContext
}

/** What an HTTP face answers for an error that states no status: retrying may help (503) or not (500). */
export function defaultHttpStatus(retriable: boolean): number {
  return retriable ? 503 : 500
}

/**
 * The base of every error the backbone raises on purpose. `code` is stable and documented in
 * docs/errors.md; `retriable` tells retry loops whether trying again can help; `httpStatus` is
 * what every HTTP face answers when this error reaches it (fastify's errors carry theirs the same way).
 */
export class BackboneError extends Error {
  readonly code: string
  readonly retriable: boolean
  readonly httpStatus: number
  readonly context: ErrorContext

  constructor(
    code: string,
    message: string,
    retriable: boolean,
    options: BackboneErrorOptions = {},
    httpStatus: number = defaultHttpStatus(retriable),
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.retriable = retriable
    this.httpStatus = httpStatus
    this.context = options.context ?? {}
  }
}

export interface BackboneErrorClass {
  new (message?: string, options?: BackboneErrorOptions): BackboneError
  readonly code: string
  readonly retriable: boolean
  readonly httpStatus: number
  readonly defaultMessage: string
}

/**
 * Makes the class for one catalogue entry. Each class gets its own `name`, so `err.name`,
 * `err.code` and `instanceof` always agree (kafkajs once shipped two classes with the wrong name).
 */
export function defineError(
  name: string,
  code: string,
  defaultMessage: string,
  retriable: boolean,
  httpStatus: number = defaultHttpStatus(retriable),
): BackboneErrorClass {
  const Defined = class extends BackboneError {
    static readonly code = code
    static readonly retriable = retriable
    static readonly httpStatus = httpStatus
    static readonly defaultMessage = defaultMessage
    constructor(message: string = defaultMessage, options: BackboneErrorOptions = {}) {
      super(code, message, retriable, options, httpStatus)
    }
  }
  Object.defineProperty(Defined, 'name', { value: name })
  Object.defineProperty(Defined.prototype, 'name', { value: name, enumerable: false, configurable: true })
  return Defined
}
