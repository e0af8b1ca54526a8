import { parseArgs } from 'node:util'
import { KafkaAuthenticationError, UsageError } from '@event-backbone/errors'
import { Kafka } from 'kafkajs'
import {
  type AclBinding,
  type AclDiff,
  accessManifest,
  applyAcls,
  currentAcls,
  describeBinding,
  diffAcls,
  managedPrincipals,
  planAcls,
} from '../../access/index.ts'
import { kafkaConfigFromEnv } from '../../kafka/index.ts'
import { aclUsersCommand, aclUsersUsage } from './acl-users.ts'
import { resolveBrokers } from './brokers.ts'
import { emit } from './output.ts'

export const aclUsage = `usage: backbone acl plan [--brokers LIST] [--json]
       backbone acl apply [--brokers LIST] [--json]
  plan   prints the least-privilege ACLs derived from the access manifest, by principal; with a
         cluster (--brokers or KAFKA_BROKERS) also what apply would add and remove there.
  apply  makes the cluster's ACLs of the manifest's principals equal the plan. Connects with the
         admin credentials from KAFKA_SASL_MECHANISM / KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD.
${aclUsersUsage}`

function byPrincipal(bindings: readonly AclBinding[]): string {
  const groups = new Map<string, string[]>()
  for (const binding of bindings) {
    const lines = groups.get(binding.principal) ?? []
    lines.push(`  ${describeBinding(binding).slice(binding.principal.length + 2)}`)
    groups.set(binding.principal, lines)
  }
  return [...groups].map(([principal, lines]) => `${principal}\n${lines.join('\n')}`).join('\n')
}

function diffText(diff: AclDiff): string {
  const lines = [
    ...diff.toAdd.map((binding) => `+ ${describeBinding(binding)}`),
    ...diff.toRemove.map((binding) => `- ${describeBinding(binding)}`),
    ...diff.unexpected.map((text) => `! not managed by a plan, left alone: ${text}`),
  ]
  return lines.length > 0 ? lines.join('\n') : 'the cluster already holds exactly the plan'
}

function clusterGiven(flag: string | undefined): boolean {
  return Boolean(flag ?? process.env['KAFKA_BROKERS']?.trim())
}

async function withAdmin<T>(
  flag: string | undefined,
  work: (admin: ReturnType<Kafka['admin']>) => Promise<T>,
) {
  const brokers = await resolveBrokers(flag)
  const config = kafkaConfigFromEnv(process.env, { clientId: 'backbone-acl', brokers, retry: { retries: 2 } })
  const admin = new Kafka(config).admin()
  try {
    await admin.connect()
  } catch (error) {
    if ((error as Error).name !== 'KafkaJSSASLAuthenticationError') throw error
    const user = process.env['KAFKA_SASL_USERNAME']
    throw new KafkaAuthenticationError(
      `Kafka refused the credentials of ${user}: ${(error as Error).message}`,
      {
        cause: error,
        context: { user },
      },
    )
  }
  try {
    return await work(admin)
  } finally {
    await admin.disconnect()
  }
}

export async function aclCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args
  if (sub === 'users') return aclUsersCommand(rest)
  if (sub !== 'plan' && sub !== 'apply') {
    throw new UsageError(sub ? `unknown acl command '${sub}'\n${aclUsage}` : aclUsage)
  }
  const { values } = parseArgs({
    args: rest,
    options: { brokers: { type: 'string' }, json: { type: 'boolean', default: false } },
  })
  const plan = planAcls(accessManifest)
  const managed = managedPrincipals(accessManifest)
  const superUsers = [`User:${accessManifest.admin}`]
  if (sub === 'apply') {
    const diff = await withAdmin(values.brokers, (admin) => applyAcls(admin, plan, managed))
    emit(
      values.json,
      { applied: diff },
      `${diffText(diff)}\napplied: ${diff.toAdd.length} added, ${diff.toRemove.length} removed`,
    )
    return 0
  }
  if (!clusterGiven(values.brokers)) {
    emit(
      values.json,
      { superUsers, bindings: plan },
      `super users: ${superUsers.join(', ')}\n${byPrincipal(plan)}`,
    )
    return 0
  }
  const diff = await withAdmin(values.brokers, async (admin) =>
    diffAcls(plan, await currentAcls(admin), managed),
  )
  emit(
    values.json,
    { superUsers, bindings: plan, diff },
    `super users: ${superUsers.join(', ')}\n${byPrincipal(plan)}\n\nagainst the cluster:\n${diffText(diff)}`,
  )
  return 0
}
