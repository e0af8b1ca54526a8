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
 * Replaces the scope's body parsers with one for JSON text under `contentType`, up to `bodyLimit`
 * bytes; any other content type is refused by fastify with FST_ERR_CTP_INVALID_MEDIA_TYPE. Parsed
 * by JSON.parse, so `__proto__` stays a plain (and then unknown, so refused) property. An empty or
 * unparsable body is a JsonBodyError; `expected` finishes the empty body's message ("send …").
 */
export function acceptJson(
  scope: FastifyInstance,
  bodyLimit: number,
  contentType: string | RegExp,
  expected: string,
): void {
  scope.removeAllContentTypeParsers()
  scope.addContentTypeParser(contentType, { parseAs: 'string', bodyLimit }, (_request, body, done) => {
    const text = body as string
    if (text.trim() === '') {
      done(new JsonBodyError(`the request body is empty; send ${expected}`, 0), undefined)
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

/** The only body the JSON ingest routes accept: `application/json` (any charset parameter). */
export function acceptJsonOnly(scope: FastifyInstance, bodyLimit: number): void {
  acceptJson(scope, bodyLimit, 'application/json', 'a JSON value')
}
