import type { FastifyInstance, FastifyRequest } from 'fastify'
import { candidateFrom } from '../candidate.ts'
import { deleteSubject, deleteVersion } from '../commands.ts'
import { metadataMatches } from '../contracts.ts'
import { httpErrors } from '../errors.ts'
import { lookUpSchema, registerSchema } from '../register.ts'
import type { SchemaStore } from '../store.ts'
import { findVersion, versionBody } from '../versions.ts'
import { flag, metadataQuery, type SubjectParams, type VersionParams } from './params.ts'

type Req<P> = FastifyRequest<{ Params: P }>

export function subjectRoutes(app: FastifyInstance, store: SchemaStore): void {
  const { state } = store

  app.get('/subjects', async (request) => {
    const prefix = (request.query as Record<string, string | undefined>)['subjectPrefix'] ?? ''
    return state.subjectNames(flag(request.query, 'deleted')).filter((subject) => subject.startsWith(prefix))
  })

  app.get('/subjects/:subject/versions', async (request: Req<SubjectParams>) => {
    const { subject } = request.params
    const versions = state.versions(
      subject,
      flag(request.query, 'deleted') || flag(request.query, 'deletedOnly'),
    )
    const only = flag(request.query, 'deletedOnly') ? versions.filter((v) => v.deleted) : versions
    if (versions.length === 0) throw httpErrors.subjectNotFound(subject)
    return only.map((entry) => entry.version)
  })

  app.get('/subjects/:subject/versions/:version', async (request: Req<VersionParams>) => {
    const { subject, version } = request.params
    return versionBody(findVersion(state, subject, version, flag(request.query, 'deleted')))
  })

  app.get('/subjects/:subject/versions/:version/schema', async (request: Req<VersionParams>, reply) => {
    const { subject, version } = request.params
    return reply.send(findVersion(state, subject, version, flag(request.query, 'deleted')).schema)
  })

  app.get('/subjects/:subject/versions/:version/referencedby', async (request: Req<VersionParams>) => {
    const { subject, version } = request.params
    const entry = findVersion(state, subject, version, flag(request.query, 'deleted'))
    return state.referencedBy(subject, entry.version)
  })

  app.post('/subjects/:subject/versions', async (request: Req<SubjectParams>) => {
    const { subject } = request.params
    const normalize = flag(request.query, 'normalize')
    // The full record (CSR's RegisterSchemaResponse): older clients read only `id`.
    return store.execute((current) => registerSchema(current, subject, request.body, { normalize }))
  })

  // Lookup: is this schema registered under the subject? Answers the version too (the Confluent client caches on it).
  app.post('/subjects/:subject', async (request: Req<SubjectParams>) => {
    const { subject } = request.params
    const deleted = flag(request.query, 'deleted')
    const normalize = flag(request.query, 'normalize') || state.normalize(subject)
    const candidate = candidateFrom(state, request.body, normalize)
    const versions = state.versions(subject, deleted)
    if (versions.length === 0) throw httpErrors.subjectNotFound(subject)
    const found = lookUpSchema(state, subject, candidate, deleted)
    if (!found) throw httpErrors.schemaNotFound('Schema not found')
    return versionBody(found)
  })

  app.delete('/subjects/:subject', async (request: Req<SubjectParams>) => {
    const { subject } = request.params
    const permanent = flag(request.query, 'permanent')
    return store.execute((current) => deleteSubject(current, subject, permanent))
  })

  app.delete('/subjects/:subject/versions/:version', async (request: Req<VersionParams>) => {
    const { subject, version } = request.params
    const permanent = flag(request.query, 'permanent')
    return store.execute((current) => deleteVersion(current, subject, version, permanent))
  })

  // Latest with metadata: the newest version whose metadata properties hold every key=value pair
  // (repeated `key` and `value` parameters pair up by position, as CSR reads them).
  app.get('/subjects/:subject/metadata', async (request: Req<SubjectParams>) => {
    const { subject } = request.params
    const deleted = flag(request.query, 'deleted')
    const versions = state.versions(subject, deleted)
    if (versions.length === 0) throw httpErrors.subjectNotFound(subject)
    const wanted = metadataQuery(request.query)
    const found = versions.reverse().find((entry) => metadataMatches(entry.metadata, wanted))
    if (!found) {
      throw httpErrors.schemaNotFound(`No schema with the given metadata found under subject '${subject}'`)
    }
    return versionBody(found)
  })
}
