import { catalogEntries } from '@event-backbone/catalog'
import type { EventSerde } from '@event-backbone/serde'
import type { FastifyInstance } from 'fastify'
import type { Admin, Kafka } from 'kafkajs'
import { problem, sendProblem } from '#libs/service'
import { Access, type Auth } from '../auth.ts'
import { BrowseNotAuthorized, BrowseTopicNotFound, browse } from './browse.ts'
import { BrowseQueryError, parseBrowseQuery } from './browse-query.ts'

/** The browser's own refusals, in the kit's body shape with a reason a client can branch on. */
const reasons = new Map<abstract new (...args: never) => unknown, string>([
  [BrowseQueryError, 'bad_request'],
  [BrowseTopicNotFound, 'topic_not_found'],
  [BrowseNotAuthorized, 'forbidden'],
])

/** Topics the operator reads through the browser: the catalog's, and whether the cluster has them. */
async function catalogTopics(admin: Admin) {
  const existing = new Set(await admin.listTopics())
  const byTopic = new Map<string, string[]>()
  for (const [eventType, entry] of catalogEntries())
    byTopic.set(entry.topic, [...(byTopic.get(entry.topic) ?? []), eventType])
  return [...byTopic].map(([topic, eventTypes]) => ({ topic, eventTypes, exists: existing.has(topic) }))
}

/**
 * The topic browser: read access, GET only. Any existing topic can be read (the catalog's are
 * listed; a dead-letter or retry topic is read the same way), never Kafka's own `__` topics.
 */
export function registerBrowseRoutes(
  app: FastifyInstance,
  deps: { kafka: Kafka; admin: Admin; serde: EventSerde | undefined; auth: Auth },
): void {
  const { kafka, admin, serde, auth } = deps

  app.get('/api/catalog/topics', async (request, reply) => {
    if (!auth.check(request, reply, Access.read)) return reply
    return { topics: await catalogTopics(admin) }
  })

  app.get('/api/browse/:topic', async (request, reply) => {
    if (!auth.check(request, reply, Access.read)) return reply
    const { topic } = request.params as { topic: string }
    if (topic.startsWith('__'))
      return sendProblem(reply, problem(400, 'bad_request', `topic ${topic} is Kafka's own; not browsable`))
    try {
      const query = parseBrowseQuery(request.query as Record<string, unknown>)
      return await browse({ kafka, admin, serde, topic, query })
    } catch (error) {
      const reason = reasons.get((error as Error).constructor as abstract new (...args: never) => unknown)
      if (!reason) throw error
      const refusal = error as Error & { statusCode: number }
      return sendProblem(reply, problem(refusal.statusCode, reason, refusal.message))
    }
  })
}
