import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { RegistryHttpError } from '../errors.ts'

export const VENDOR_V1 = 'application/vnd.schemaregistry.v1+json'
const VENDOR = 'application/vnd.schemaregistry+json'
const JSON_TYPE = 'application/json'
const PRODUCIBLE = new Set([VENDOR_V1, VENDOR, JSON_TYPE])
const WILDCARDS = new Set(['*/*', 'application/*'])

/**
 * Chooses the response type from `Accept`, as CSR does: the vendor type by default, the exact
 * type asked for when it is one of the three, 406 when nothing acceptable is listed.
 */
export function negotiate(accept: string | undefined): string | undefined {
  if (!accept || accept.trim() === '') return VENDOR_V1
  const ranges = accept
    .split(',')
    .map((part) => {
      const [type = '', ...params] = part.trim().toLowerCase().split(';')
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
      return { type: type.trim(), q: q ? Number(q.slice(2)) : 1 }
    })
    .filter((range) => range.q > 0)
    .sort((a, b) => b.q - a.q)
  for (const range of ranges) {
    if (PRODUCIBLE.has(range.type)) return range.type
    if (WILDCARDS.has(range.type)) return VENDOR_V1
  }
  return undefined
}

/** Request bodies: the vendor types and octet-stream are JSON too (fastify parses only application/json). */
export function registerContentTypes(app: FastifyInstance): void {
  app.addContentTypeParser(
    [VENDOR_V1, VENDOR, 'application/octet-stream'],
    { parseAs: 'string' },
    (
      _request: FastifyRequest,
      body: string | Buffer,
      done: (error: Error | null, value?: unknown) => void,
    ) => {
      const text = body.toString()
      if (text.trim() === '') return done(null, undefined)
      try {
        done(null, JSON.parse(text))
      } catch (error) {
        done(new RegistryHttpError(400, 400, `Unexpected JSON body: ${(error as Error).message}`))
      }
    },
  )
  // Clients send the same few Accept headers on every call: negotiate each once.
  const negotiated = new Map<string, string | undefined>()
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const accept = request.headers.accept ?? ''
    let type = negotiated.get(accept)
    if (type === undefined && !negotiated.has(accept)) {
      type = negotiate(accept)
      if (negotiated.size < 256) negotiated.set(accept, type)
    }
    if (!type) throw new RegistryHttpError(406, 406, 'HTTP 406 Not Acceptable')
    reply.type(type)
  })
}
