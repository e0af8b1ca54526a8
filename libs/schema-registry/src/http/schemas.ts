import type { FastifyInstance, FastifyRequest } from 'fastify'
import { httpErrors } from '../errors.ts'
import { SCHEMA_TYPES } from '../schema-types.ts'
import type { SchemaVersion } from '../state.ts'
import type { SchemaStore } from '../store.ts'
import { versionBody } from '../versions.ts'
import { flag, parseId } from './params.ts'

type IdRequest = FastifyRequest<{ Params: { id: string } }>

export function schemaRoutes(app: FastifyInstance, store: SchemaStore): void {
  const { state } = store

  function byId(spec: string) {
    const id = parseId(spec)
    const entry = state.schemaById(id)
    if (!entry) throw httpErrors.schemaNotFound(`Schema ${id} not found`)
    return entry
  }

  // CSR's SchemaString: the schema with its type, references, metadata, rules and GUID.
  const schemaString = (entry: SchemaVersion) => ({
    ...(entry.schemaType === 'AVRO' ? {} : { schemaType: entry.schemaType }),
    schema: entry.schema,
    ...(entry.references.length > 0 ? { references: entry.references } : {}),
    ...(entry.metadata ? { metadata: entry.metadata } : {}),
    ...(entry.ruleSet ? { ruleSet: entry.ruleSet } : {}),
    guid: entry.guid,
  })

  // `?subject=` only selects a context in CSR; in the default context the id alone decides.
  app.get('/schemas/ids/:id', async (request: IdRequest) => schemaString(byId(request.params.id)))

  app.get('/schemas/ids/:id/schema', async (request: IdRequest, reply) =>
    reply.send(byId(request.params.id).schema),
  )

  app.get('/schemas/ids/:id/versions', async (request: IdRequest) => {
    const entry = byId(request.params.id)
    return state.usagesOf(entry.id, flag(request.query, 'deleted'))
  })

  app.get('/schemas/ids/:id/subjects', async (request: IdRequest) => {
    const entry = byId(request.params.id)
    return [
      ...new Set(state.usagesOf(entry.id, flag(request.query, 'deleted')).map((usage) => usage.subject)),
    ]
  })

  app.get('/schemas/types', async () => [...SCHEMA_TYPES])

  // Every subject version (newest only with latestOnly=true), as CSR's GET /schemas lists them.
  app.get('/schemas', async (request) => {
    const query = request.query as Record<string, string | undefined>
    const prefix = query['subjectPrefix'] ?? ''
    const deleted = flag(query, 'deleted')
    const latestOnly = flag(query, 'latestOnly')
    return state
      .subjectNames(deleted)
      .filter((subject) => subject.startsWith(prefix))
      .flatMap((subject) => {
        const versions = state.versions(subject, deleted)
        return (latestOnly ? versions.slice(-1) : versions).map(versionBody)
      })
  })

  // Only the default context exists.
  app.get('/contexts', async () => ['.'])

  // GUIDs (wire format magic byte 1) are derived from the content; the id is answered too.
  app.get('/schemas/guids/:guid', async (request: FastifyRequest<{ Params: { guid: string } }>) => {
    const entry = state.schemaByGuid(request.params.guid)
    if (!entry) throw httpErrors.schemaNotFound(`Schema with guid ${request.params.guid} not found`)
    return { ...schemaString(entry), id: entry.id }
  })

  // Topic associations are not supported: 404 makes Confluent's client fall back to <topic>-value.
  app.get('/associations/*', async (request) => {
    throw httpErrors.associationNotFound((request.params as { '*': string })['*'])
  })
  app.get('/associations', async () => {
    throw httpErrors.associationNotFound('')
  })
}
