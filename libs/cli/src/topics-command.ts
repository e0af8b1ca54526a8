import { parseArgs } from 'node:util'
import { UsageError } from '@event-backbone/errors'
import { Kafka, logLevel } from 'kafkajs'
import { catalogTopicSpecs } from '../../events/index.ts'
import { ensureTopics } from '../../kafka/index.ts'
import { resolveBrokers } from './brokers.ts'
import { emit } from './output.ts'

export const topicsUsage = `usage: backbone topics ensure [--brokers LIST] [--json]
  Creates the catalog's domain topics that are missing (partitions and retention from the catalog).`

async function ensure(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { brokers: { type: 'string' }, json: { type: 'boolean', default: false } },
  })
  const brokers = await resolveBrokers(values.brokers)
  const admin = new Kafka({ clientId: 'backbone-cli', brokers, logLevel: logLevel.NOTHING }).admin()
  await admin.connect()
  try {
    const report = await ensureTopics(admin, catalogTopicSpecs())
    emit(
      values.json,
      report,
      `topics: created ${report.created.join(', ') || 'none'}; already there ${report.existing.join(', ') || 'none'}`,
    )
    return 0
  } finally {
    await admin.disconnect()
  }
}

export async function topicsCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args
  if (sub === 'ensure') return ensure(rest)
  throw new UsageError(sub ? `unknown topics command '${sub}'\n${topicsUsage}` : topicsUsage)
}
