import type { FastifyInstance } from 'fastify'
import { Access, type Auth } from './auth.ts'
import type { ConsoleHistory } from './metrics.ts'

/**
 * The charts' data: what the console's metrics timer measured over the last window. Nothing is
 * measured for these routes; with DLQ_METRICS_INTERVAL=0 they answer empty series.
 */
export function registerHistoryRoutes(
  app: FastifyInstance,
  deps: { history: ConsoleHistory; auth: Auth },
): void {
  const { history, auth } = deps
  const frame = { intervalMs: history.intervalMs, windowMs: history.windowMs }

  app.get('/api/groups/:groupId/lag-history', async (request, reply) => {
    if (!auth.check(request, reply, Access.read)) return reply
    const { groupId } = request.params as { groupId: string }
    return {
      groupId,
      ...frame,
      samples: history.lag.get(groupId).map((sample) => ({ at: sample.at, partitions: sample.value })),
    }
  })

  app.get('/api/dead-letters/history', async (request, reply) => {
    if (!auth.check(request, reply, Access.read)) return reply
    const topic = (request.query as { topic?: string }).topic
    const topics = topic === undefined ? history.deadLetters.keys().sort() : [topic]
    return {
      ...frame,
      topics: topics.map((name) => ({
        topic: name,
        samples: history.deadLetters.get(name).map((sample) => ({ at: sample.at, ...sample.value })),
      })),
    }
  })
}
