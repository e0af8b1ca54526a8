import { DlqJobNotFoundError } from '@event-backbone/errors'
import type { EventSerde } from '@event-backbone/serde'
import type { FastifyInstance } from 'fastify'
import type { Kafka } from 'kafkajs'
import {
  dryRun,
  inspect,
  type JobManager,
  listDeadLetterTopics,
  planReplay,
  type ReplayTopics,
  readAudit,
  validateSelection,
} from '#libs/dlq'
import { Access, type Auth } from './auth.ts'

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

  // Errors are answered by the service kit's handler: the status comes from the error catalogue.

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
    if (!job) throw new DlqJobNotFoundError('no such replay job')
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
