import { parseArgs } from 'node:util'
import { UsageError } from '@event-backbone/errors'
import { type Admin, Kafka } from 'kafkajs'
import {
  applyReset,
  describeGroup,
  type GroupDescription,
  listGroups,
  parseResetTarget,
  planReset,
  type ResetPlan,
} from '../../groups/index.ts'
import { kafkaConfigFromEnv } from '../../kafka/index.ts'
import { resolveBrokers } from './brokers.ts'
import { emit } from './output.ts'

export const groupsUsage = `usage: backbone groups <list|describe|reset-offsets> [--brokers host:port] [--json]
  list                       every consumer group: state, members, total lag
  describe GROUP             its members and assignments, and per partition the committed offset,
                             the end offset and the lag (the retry-tier topics it consumes too)
  reset-offsets GROUP TARGET [--topic T]... [--dry-run]
                             moves the group's committed offsets; TARGET is one of --to-earliest,
                             --to-latest, --to-datetime 2026-12-04T10:00:00Z, --by-duration 2h,
                             --to-offset N (clamped to each partition); all the group's topics unless
                             --topic is given; refuses while the group has live members (named);
                             --dry-run prints the plan and changes nothing`

async function withAdmin<T>(brokersFlag: string | undefined, work: (admin: Admin) => Promise<T>): Promise<T> {
  const brokers = await resolveBrokers(brokersFlag)
  const admin = new Kafka(
    kafkaConfigFromEnv({ ...process.env, KAFKA_BROKERS: brokers.join(',') }, { clientId: 'backbone-groups' }),
  ).admin()
  await admin.connect()
  try {
    return await work(admin)
  } finally {
    await admin.disconnect()
  }
}

function describeHuman(group: GroupDescription): string {
  return [
    `group ${group.groupId}: ${group.state}, ${group.members.length} member(s), total lag ${group.totalLag}`,
    ...group.members.map(
      (member) =>
        `  member ${member.clientId}@${member.host}: ${member.assignment.map((entry) => `${entry.topic}[${entry.partitions.join(',')}]`).join(' ') || 'no partitions'}`,
    ),
    `  ${'topic'.padEnd(40)} ${'part'.padEnd(5)} ${'committed'.padEnd(10)} ${'end'.padEnd(10)} lag`,
    ...group.partitions.map(
      (entry) =>
        `  ${entry.topic.padEnd(40)} ${String(entry.partition).padEnd(5)} ${(entry.committed ?? '-').padEnd(10)} ${entry.end.padEnd(10)} ${entry.lag}`,
    ),
  ].join('\n')
}

function planHuman(plan: ResetPlan, applied: boolean): string {
  return [
    `${applied ? 'reset' : 'plan (dry run, nothing changed)'}: group ${plan.groupId} to ${plan.target}`,
    ...plan.partitions.map(
      (entry) =>
        `  ${entry.topic}[${entry.partition}] ${entry.from ?? '-'} → ${entry.to}${entry.note ? `  (${entry.note})` : ''}`,
    ),
  ].join('\n')
}

export async function groupsCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      brokers: { type: 'string' },
      json: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      topic: { type: 'string', multiple: true },
      'to-earliest': { type: 'boolean' },
      'to-latest': { type: 'boolean' },
      'to-datetime': { type: 'string' },
      'by-duration': { type: 'string' },
      'to-offset': { type: 'string' },
    },
  })
  if (sub === 'list') {
    const groups = await withAdmin(values.brokers, listGroups)
    emit(
      values.json,
      { groups },
      groups.length === 0
        ? 'no consumer groups'
        : groups
            .map(
              (group) =>
                `${group.groupId.padEnd(40)} ${group.state.padEnd(20)} members ${group.members}  lag ${group.totalLag}`,
            )
            .join('\n'),
    )
    return 0
  }
  const groupId = positionals[0]
  if (sub === 'describe') {
    if (!groupId) throw new UsageError('groups describe needs a GROUP')
    const group = await withAdmin(values.brokers, (admin) => describeGroup(admin, groupId))
    emit(values.json, group, describeHuman(group))
    return 0
  }
  if (sub === 'reset-offsets') {
    if (!groupId) throw new UsageError('groups reset-offsets needs a GROUP')
    const target = parseResetTarget({
      toEarliest: values['to-earliest'],
      toLatest: values['to-latest'],
      toDatetime: values['to-datetime'],
      byDuration: values['by-duration'],
      toOffset: values['to-offset'],
    })
    const dryRun = values['dry-run']
    const plan = await withAdmin(values.brokers, async (admin) => {
      const planned = await planReset(admin, groupId, target, values.topic)
      if (!dryRun) await applyReset(admin, planned)
      return planned
    })
    emit(values.json, { ...plan, applied: !dryRun }, planHuman(plan, !dryRun))
    return 0
  }
  if (sub === undefined || sub === 'help' || sub === '--help') {
    process.stdout.write(`${groupsUsage}\n`)
    return sub === undefined ? 2 : 0
  }
  throw new UsageError(`unknown groups command '${sub}'; run 'backbone groups help'`)
}
