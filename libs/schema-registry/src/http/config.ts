import type { FastifyInstance, FastifyRequest } from 'fastify'
import { deleteConfig, deleteMode, putConfig, putMode } from '../commands.ts'
import { httpErrors } from '../errors.ts'
import { contractConfigFields } from '../records.ts'
import type { SchemaStore } from '../store.ts'
import { flag, type SubjectParams } from './params.ts'

type Req = FastifyRequest<{ Params: SubjectParams }>

export function configRoutes(app: FastifyInstance, store: SchemaStore): void {
  const { state } = store

  /** A config as set; with `effective` (`defaultToGlobal`), merged over the global one as registration applies it. */
  const configBody = (subject: string | null, effective = false) => {
    const own = state.config(subject)
    const normalize = effective ? (own?.normalize ?? state.config(null)?.normalize) : own?.normalize
    return {
      compatibilityLevel: state.compatibility(subject),
      ...(normalize === undefined ? {} : { normalize }),
      ...(effective ? state.contractConfig(subject) : own ? contractConfigFields(own) : {}),
    }
  }

  app.get('/config', async () => configBody(null))
  app.put('/config', async (request) => store.execute((current) => putConfig(current, null, request.body)))
  app.delete('/config', async () => store.execute((current) => deleteConfig(current, null)))

  // 404 when the subject has no level of its own: @kafkajs/confluent-schema-registry relies on it.
  app.get('/config/:subject', async (request: Req) => {
    const { subject } = request.params
    const effective = flag(request.query, 'defaultToGlobal')
    if (!state.config(subject) && !effective) throw httpErrors.subjectLevelCompatibilityNotConfigured(subject)
    return configBody(subject, effective)
  })
  app.put('/config/:subject', async (request: Req) =>
    store.execute((current) => putConfig(current, request.params.subject, request.body)),
  )
  app.delete('/config/:subject', async (request: Req) =>
    store.execute((current) => deleteConfig(current, request.params.subject)),
  )

  app.get('/mode', async () => ({ mode: state.effectiveMode(null) }))
  app.put('/mode', async (request) => store.execute((current) => putMode(current, null, request.body)))

  app.get('/mode/:subject', async (request: Req) => {
    const { subject } = request.params
    const own = state.mode(subject)
    if (!own && !flag(request.query, 'defaultToGlobal'))
      throw httpErrors.subjectLevelModeNotConfigured(subject)
    return { mode: own ?? state.effectiveMode(null) }
  })
  app.put('/mode/:subject', async (request: Req) =>
    store.execute((current) => putMode(current, request.params.subject, request.body)),
  )
  app.delete('/mode/:subject', async (request: Req) =>
    store.execute((current) => deleteMode(current, request.params.subject)),
  )
}
