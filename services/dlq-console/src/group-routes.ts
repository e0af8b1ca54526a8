import type { FastifyInstance } from 'fastify'
import type { Admin } from 'kafkajs'
import { applyReset, describeGroup, listGroups, parseResetTarget, planReset } from '#libs/groups'
import type { Logger } from '#libs/observability'
import { Access, type Auth } from './auth.ts'

interface ResetBody {
  target?: {
    toEarliest?: unknown
    toLatest?: unknown
    toDatetime?: unknown
    byDuration?: unknown
    toOffset?: unknown
  }
  topics?: unknown
  dryRun?: unknown
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined)
const flag = (value: unknown) => (value === true ? true : undefined)

/**
 * Consumer groups, as `backbone groups` shows and resets them: reading needs read access, a reset
 * (not a dry run) an operator token. Errors answer as the other routes do (EB_GROUP_NOT_FOUND 404,
 * EB_GROUP_ACTIVE 409 naming the live members, EB_RESET_TARGET 400).
 */
export function registerGroupRoutes(
  app: FastifyInstance,
  deps: { admin: Admin; auth: Auth; logger: Logger },
): void {
  const { admin, auth, logger } = deps

  app.get('/api/groups', async (request, reply) => {
    if (!auth.check(request, reply, Access.read)) return reply
    return { groups: await listGroups(admin) }
  })

  app.get('/api/groups/:groupId', async (request, reply) => {
    if (!auth.check(request, reply, Access.read)) return reply
    return describeGroup(admin, (request.params as { groupId: string }).groupId)
  })

  app.post('/api/groups/:groupId/reset-offsets', async (request, reply) => {
    const body = (request.body ?? {}) as ResetBody
    const dryRun = body.dryRun === true
    const by = auth.check(request, reply, dryRun ? Access.read : Access.operate)
    if (!by) return reply
    const { groupId } = request.params as { groupId: string }
    const target = parseResetTarget({
      toEarliest: flag(body.target?.toEarliest),
      toLatest: flag(body.target?.toLatest),
      toDatetime: text(body.target?.toDatetime),
      byDuration: text(body.target?.byDuration),
      toOffset: body.target?.toOffset === undefined ? undefined : String(body.target.toOffset),
    })
    const topics = Array.isArray(body.topics)
      ? body.topics.filter((t): t is string => typeof t === 'string')
      : undefined
    const plan = await planReset(admin, groupId, target, topics)
    if (!dryRun) {
      await applyReset(admin, plan)
      logger.info(
        { groupId, target: plan.target, by, partitions: plan.partitions.length },
        'consumer group offsets reset',
      )
    }
    return { ...plan, applied: !dryRun, by }
  })
}
