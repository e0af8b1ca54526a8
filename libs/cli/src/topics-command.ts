import { parseArgs } from 'node:util'
import { UsageError } from '@event-backbone/errors'
import { Kafka, logLevel } from 'kafkajs'
import { catalogTopicSpecs } from '../../events/index.ts'
import { type DurabilityShortfall, ensureTopics, parseDurabilityProfile } from '../../kafka/index.ts'
import { resolveBrokers } from './brokers.ts'
import { emit } from './output.ts'

export const topicsUsage = `usage: backbone topics ensure [--brokers LIST] [--strict] [--json]
  Creates the catalog's domain topics that are missing (partitions and retention from the catalog,
  replication factor and min.insync.replicas from the durability profile) and reports existing
  topics that fall short of the profile or whose cleanup.policy / retention.ms differ from the
  catalog (reported, never changed). With --strict a shortfall exits 4.
  BACKBONE_DURABILITY overrides the profile per family, e.g. 'domain:3/2,dead-letter:2/1'.`

/** The exit code of `topics ensure --strict` when an existing topic falls short of the profile. */
export const shortfallExitCode = 4

function describe(shortfall: DurabilityShortfall): string {
  const isr = shortfall.minInsyncReplicas ?? 'unknown'
  return `${shortfall.topic} (${shortfall.family}): RF ${shortfall.replicationFactor}, min ISR ${isr}; the profile wants RF ${shortfall.wanted.replicationFactor}, min ISR ${shortfall.wanted.minInsyncReplicas}`
}

async function ensure(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      brokers: { type: 'string' },
      strict: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  })
  const profile = parseDurabilityProfile(process.env['BACKBONE_DURABILITY'])
  const brokers = await resolveBrokers(values.brokers)
  const admin = new Kafka({ clientId: 'backbone-cli', brokers, logLevel: logLevel.NOTHING }).admin()
  await admin.connect()
  try {
    const report = await ensureTopics(admin, catalogTopicSpecs(), { profile })
    const short = report.shortfalls.map(describe)
    emit(
      values.json,
      report,
      [
        `topics: created ${report.created.join(', ') || 'none'}; already there ${report.existing.join(', ') || 'none'}`,
        ...short.map((line) => `short of the durability profile: ${line}`),
        ...report.configDrifts.map(
          (d) =>
            `config differs from the spec: ${d.topic} ${d.config}=${d.actual ?? 'unknown'}, the spec wants ${d.wanted}`,
        ),
      ].join('\n'),
    )
    return values.strict && report.shortfalls.length > 0 ? shortfallExitCode : 0
  } finally {
    await admin.disconnect()
  }
}

export async function topicsCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args
  if (sub === 'ensure') return ensure(rest)
  throw new UsageError(sub ? `unknown topics command '${sub}'\n${topicsUsage}` : topicsUsage)
}
