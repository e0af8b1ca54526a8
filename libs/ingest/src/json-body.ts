import type { FastifyInstance } from 'fastify'

/** A body that is not JSON: carries where the parser stopped, when it says so. */
export class JsonBodyError extends Error {
  readonly position: number | undefined

  constructor(message: string, position: number | undefined) {
    super(message)
    this.position = position
  }
}

/**
 * The only body the ingest routes accept: `application/json` (any charset parameter), up to
 * `bodyLimit` bytes. Any other content type is refused by fastify with FST_ERR_CTP_INVALID_MEDIA_TYPE.
 * Parsed by JSON.parse, so `__proto__` stays a plain (and then unknown, so refused) property.
 */
export function acceptJsonOnly(scope: FastifyInstance, bodyLimit: number): void {
  scope.removeAllContentTypeParsers()
  scope.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (_request, body, done) => {
    const text = body as string
    if (text.trim() === '') {
      done(new JsonBodyError('the request body is empty; send a JSON value', 0), undefined)
      return
    }
    try {
      done(null, JSON.parse(text))
    } catch (error) {
      const message = (error as Error).message
      const match = /at position (\d+)/.exec(message)
      const position = match ? Number(match[1]) : undefined
      done(new JsonBodyError(`the request body is not valid JSON: ${message}`, position), undefined)
    }
  })
}
