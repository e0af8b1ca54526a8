import { UsageError } from '@event-backbone/errors'
import { silenceKafkajsTimeoutWarning } from '../kafka-local/index.ts'
import { aclCommand, aclUsage } from './src/acl-command.ts'
import { dlqCommand, dlqUsage } from './src/dlq-command.ts'
import { groupsCommand, groupsUsage } from './src/groups-command.ts'
import { kafkaCommand, kafkaUsage } from './src/kafka-command.ts'
import { fail } from './src/output.ts'
import { registryCommand, registryUsage } from './src/registry-command.ts'
import { schemasCommand, schemasUsage } from './src/schemas-command.ts'
import { statusCommand, statusUsage } from './src/status-command.ts'
import { topicsCommand, topicsUsage } from './src/topics-command.ts'
import { triggersCommand, triggersUsage } from './src/triggers-command.ts'
import { upCommand } from './src/up-command.ts'

const usage = `usage: backbone <command> [options]

commands:
  up                         boot the local stack and run until Ctrl-C (npm start); --no-restart
                             leaves a service that dies down instead of restarting it
  status                     every service of the running stack: pid, ready, restarts, URL
  kafka start|stop|status    manage a local Apache Kafka broker
  registry start             run the embedded schema registry
  schemas register|check     register the catalog's schemas, or check them for compatibility
  topics ensure              create the catalog's domain topics that are missing
  acl plan|apply             derive the least-privilege ACLs from the access manifest, apply them
  dlq list|show|replay|jobs|audit   inspect and replay dead-letter topics
  groups list|describe|reset-offsets  consumer groups: members, lag, and moving their offsets
  triggers list|status       function triggers: the file's triggers, and their invocations and cost

${statusUsage}

${kafkaUsage}

${registryUsage}

${schemasUsage}

${topicsUsage}

${aclUsage}

${dlqUsage}

${groupsUsage}

${triggersUsage}`

const upUsage = `usage: backbone up [--json] [--free-ports] [--no-demo] [--no-restart] [--kafka-nodes N]
  Boots the local stack (Kafka, registry, services, a demo flow) and runs until Ctrl-C.`

/** Every command's own usage, for `backbone <command> --help` (and `-h`). */
const usages: Record<string, string> = {
  up: upUsage,
  status: statusUsage,
  kafka: kafkaUsage,
  registry: registryUsage,
  schemas: schemasUsage,
  topics: topicsUsage,
  acl: aclUsage,
  dlq: dlqUsage,
  groups: groupsUsage,
  triggers: triggersUsage,
}

const commands: Record<string, (args: string[]) => Promise<number>> = {
  up: upCommand,
  status: statusCommand,
  kafka: kafkaCommand,
  registry: registryCommand,
  schemas: schemasCommand,
  topics: topicsCommand,
  acl: aclCommand,
  dlq: dlqCommand,
  groups: groupsCommand,
  triggers: triggersCommand,
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${usage}\n`)
    return name === undefined ? 2 : 0
  }
  const command = commands[name]
  if (!command) throw new UsageError(`unknown command '${name}'; run 'backbone help'`)
  if (args.includes('--help') || args.includes('-h') || args[0] === 'help') {
    process.stdout.write(`${usages[name]}\n`)
    return 0
  }
  return command(args)
}

silenceKafkajsTimeoutWarning()

main(process.argv.slice(2)).then((code) => process.exit(code), fail)
