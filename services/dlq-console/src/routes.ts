import { BackboneError } from '@event-backbone/errors'
import type { EventSerde } from '@event-backbone/serde'
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify'
import type { Kafka } from 'kafkajs'
import type { JobManager } from '#libs/dlq'
import {
  dryRun,
  inspect,
  listDeadLetterTopics,
  planReplay,
  type ReplayTopics,
  readAudit,
  validateSelection,
} from '#libs/dlq'
import { Access, type Auth } from './auth.ts'

const statusByCode: Record<string, number> = {
  EB_DLQ_TOPIC_NOT_FOUND: 404,
  EB_DLQ_JOB_NOT_FOUND: 404,
  EB_DLQ_SELECTION: 400,
  EB_DLQ_TARGET: 400,
  EB_DLQ_JOB_STATE: 409,
  EB_DLQ_READ_TIMEOUT: 504,
  EB_KAFKA_TOPIC_NAME: 400,
  EB_GROUP_NOT_FOUND: 404,
  EB_GROUP_ACTIVE: 409,
  EB_RESET_TARGET: 400,
}

interface ReplayBody {
  topic?: unknown
  selection?: unknown
  target?: unknown
  ratePerSecond?: unknown
}

function after(text: unknown): { partition: number; offset: string }[] | undefined {
  if (!Array.isArray(text)) return undefined
  return text
    .filter((entry) => Number.isInteger(entry?.partition) && /^\d{1,19}$/.test(String(entry?.offset)))
    .map((entry) => ({ partition: entry.partition, offset: String(entry.offset) }))
}

export function registerDlqRoutes(
  app: FastifyInstance,
  deps: {
    kafka: Kafka
    serde: EventSerde | undefined
    auth: Auth
    jobs: JobManager
    topics?: ReplayTopics | undefined
  },
): void {
  const { kafka, serde, auth, jobs } = deps
  const withSerde = serde ? { serde } : {}
  const topics = deps.topics ? { topics: deps.topics } : {}

  app.setErrorHandler((error: FastifyError, _request, reply: FastifyReply) => {
    if (error instanceof BackboneError) {
      return reply.code(statusByCode[error.code] ?? 500).send({ error: error.code, message: error.message })
    }
    if (error.validation || error.statusCode === 400)
      return reply.code(400).send({ error: 'bad_request', message: error.message })
    if (error.statusCode === 404) return reply.code(404).send({ error: 'not_found', message: error.message })
    if (error.statusCode === 403) return reply.code(403).send({ error: 'forbidden', message: error.message })
    const name = (error as Error).name ?? ''
    if (name.startsWith('KafkaJS'))
      return reply.code(503).send({ error: 'kafka_unavailable', message: error.message })
    return reply.code(error.statusCode ?? 500).send({ error: 'internal', message: error.message })
  })

  app.get('/api/topics', async (request, reply) => {
    if (!auth.check(request, reply, Access.read)) return reply
    const filter = (request.query as { filter?: string }).filter
    return listDeadLetterTopics(kafka, filter ? { filter } : {})
  })

  app.post('/api/topics/:topic/records', async (request, reply) => {
    if (!auth.check(request, reply, Access.read)) return reply
    const { topic } = request.params as { topic: string }
    const body = (request.body ?? {}) as { selection?: unknown; limit?: unknown; after?: unknown }
    const page = after(body.after)
    return inspect({
      kafka,
      ...withSerde,
      topic,
      selection: validateSelection(body.selection),
      limit: typeof body.limit === 'number' ? body.limit : 50,
      ...(page ? { after: page } : {}),
    })
  })

  const plan = (body: ReplayBody, by: string) =>
    planReplay(kafka, {
      topic: String(body.topic ?? ''),
      selection: validateSelection(body.selection),
      ...(body.target === undefined ? {} : { target: body.target as 'retry' }),
      ...(typeof body.ratePerSecond === 'number' ? { ratePerSecond: body.ratePerSecond } : {}),
      by,
    })

  app.post('/api/replays/dry-run', async (request, reply) => {
    const by = auth.check(request, reply, Access.read)
    if (!by) return reply
    const spec = await plan((request.body ?? {}) as ReplayBody, by)
    return dryRun({ kafka, ...withSerde, spec, ...topics })
  })

  app.post('/api/replays', async (request, reply) => {
    const by = auth.check(request, reply, Access.operate)
    if (!by) return reply
    const spec = await plan((request.body ?? {}) as ReplayBody, by)
    jobs.start({ spec })
    return reply.code(202).send({ id: spec.id, spec, href: `/api/replays/${spec.id}` })
  })

  app.get('/api/replays', async (request, reply) => {
    if (!auth.check(request, reply, Access.read)) return reply
    return jobs.list()
  })

  app.get('/api/replays/:id', async (request, reply) => {
    if (!auth.check(request, reply, Access.read)) return reply
    const job = await jobs.get((request.params as { id: string }).id)
    if (!job) return reply.code(404).send({ error: 'EB_DLQ_JOB_NOT_FOUND', message: 'no such replay job' })
    return job
  })

  for (const action of ['pause', 'resume', 'cancel'] as const) {
    app.post(`/api/replays/:id/${action}`, async (request, reply) => {
      const by = auth.check(request, reply, Access.operate)
      if (!by) return reply
      const { id } = request.params as { id: string }
      await jobs.control(id, action, by)
      return reply.code(202).send({ id, action, by })
    })
  }

  app.get('/api/audit', async (request, reply) => {
    if (!auth.check(request, reply, Access.read)) return reply
    const job = (request.query as { job?: string }).job
    return readAudit(kafka, { ...(job ? { jobId: job } : {}), ...topics })
  })
}
