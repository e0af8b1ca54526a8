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
import { upCommand, upUsage } from './src/up-command.ts'

/** Each command: what runs it, and the usage `backbone <command> --help` prints. */
const commands: Record<
  string,
  { readonly run: (args: string[]) => Promise<number>; readonly usage: string }
> = {
  up: { run: upCommand, usage: upUsage },
  status: { run: statusCommand, usage: statusUsage },
  kafka: { run: kafkaCommand, usage: kafkaUsage },
  registry: { run: registryCommand, usage: registryUsage },
  schemas: { run: schemasCommand, usage: schemasUsage },
  topics: { run: topicsCommand, usage: topicsUsage },
  acl: { run: aclCommand, usage: aclUsage },
  dlq: { run: dlqCommand, usage: dlqUsage },
  groups: { run: groupsCommand, usage: groupsUsage },
  triggers: { run: triggersCommand, usage: triggersUsage },
}

// The summary, then every command's usage but up's (its options are in the summary line).
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

${Object.entries(commands)
  .filter(([name]) => name !== 'up')
  .map(([, command]) => command.usage)
  .join('\n\n')}`

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${usage}\n`)
    return name === undefined ? 2 : 0
  }
  const command = commands[name]
  if (!command) throw new UsageError(`unknown command '${name}'; run 'backbone help'`)
  if (args.includes('--help') || args.includes('-h') || args[0] === 'help') {
    process.stdout.write(`${command.usage}\n`)
    return 0
  }
  return command.run(args)
}

silenceKafkajsTimeoutWarning()

main(process.argv.slice(2)).then((code) => process.exit(code), fail)
