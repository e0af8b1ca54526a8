import type { FastifyInstance, FastifyRequest } from 'fastify'
import { candidateFrom, parseStored } from '../candidate.ts'
import { checkCompatibility } from '../compatibility.ts'
import { httpErrors } from '../errors.ts'
import { compatibilityMessages, contractFor } from '../register.ts'
import type { SchemaStore } from '../store.ts'
import { findVersion, parseVersion } from '../versions.ts'
import { flag, type SubjectParams, type VersionParams } from './params.ts'

function answer(messages: string[], verbose: boolean): Record<string, unknown> {
  return { is_compatible: messages.length === 0, ...(verbose ? { messages } : {}) }
}

export function compatibilityRoutes(app: FastifyInstance, store: SchemaStore): void {
  const { state } = store

  // `latest` applies the subject's level as registration would (transitive levels check every version).
  app.post(
    '/compatibility/subjects/:subject/versions',
    async (request: FastifyRequest<{ Params: SubjectParams }>) => {
      const { subject } = request.params
      const candidate = candidateFrom(
        state,
        request.body,
        flag(request.query, 'normalize') || state.normalize(subject),
      )
      return answer(
        compatibilityMessages(state, subject, candidate, contractFor(state, subject, candidate).metadata),
        flag(request.query, 'verbose'),
      )
    },
  )

  app.post(
    '/compatibility/subjects/:subject/versions/:version',
    async (request: FastifyRequest<{ Params: VersionParams }>) => {
      const { subject, version } = request.params
      const spec = parseVersion(version)
      const candidate = candidateFrom(
        state,
        request.body,
        flag(request.query, 'normalize') || state.normalize(subject),
      )
      const verbose = flag(request.query, 'verbose')
      if (spec === 'latest') {
        if (state.versions(subject, false).length === 0) throw httpErrors.subjectNotFound(subject)
        return answer(
          compatibilityMessages(state, subject, candidate, contractFor(state, subject, candidate).metadata),
          verbose,
        )
      }
      const entry = findVersion(state, subject, version, false)
      const messages = checkCompatibility(state.compatibility(subject), candidate.parsed, [
        { version: entry.version, type: parseStored(state, entry) },
      ])
      return answer(messages, verbose)
    },
  )
}
