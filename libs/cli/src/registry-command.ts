import { parseArgs } from 'node:util'
import { UsageError } from '@event-backbone/errors'
import { fixedTopic } from '../../kafka/index.ts'
import { startSchemaRegistry } from '../../schema-registry/index.ts'
import { resolveBrokers } from './brokers.ts'
import { emit, untilSignal } from './output.ts'

export const registryUsage = `usage: backbone registry start [--brokers LIST] [--host H] [--port N] [--topic T] [--json]
  Runs the embedded Confluent-compatible schema registry until Ctrl-C.`

async function start(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      brokers: { type: 'string' },
      host: { type: 'string', default: process.env['REGISTRY_HOST'] ?? '127.0.0.1' },
      port: { type: 'string', default: process.env['REGISTRY_PORT'] ?? '8081' },
      topic: { type: 'string', default: process.env['REGISTRY_TOPIC'] ?? fixedTopic.registry },
      json: { type: 'boolean', default: false },
    },
  })
  const port = Number(values.port)
  if (!/^\d+$/.test(values.port) || port > 65_535) {
    throw new UsageError(`--port needs to be a whole number from 0 to 65535, not '${values.port}'`)
  }
  const brokers = await resolveBrokers(values.brokers)
  const registry = await startSchemaRegistry({ brokers, host: values.host, port, topic: values.topic })
  emit(
    values.json,
    { url: registry.url, topic: registry.topic, brokers },
    `Schema registry at ${registry.url} (storage topic ${registry.topic} on ${brokers.join(',')}); Ctrl-C stops it`,
  )
  await untilSignal()
  await registry.close()
  return 0
}

export async function registryCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args
  if (sub === 'start') return start(rest)
  throw new UsageError(sub ? `unknown registry command '${sub}'\n${registryUsage}` : registryUsage)
}
