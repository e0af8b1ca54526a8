import { parseArgs } from 'node:util'
import { provideKafka } from '#libs/kafka-local'
import { emit, untilSignal } from './output.ts'

/**
 * The main job: boots the local stack and runs until Ctrl-C. For now the stack is the broker;
 * the registry, topics, services and the demo flow join it as they are built.
 */
export async function upCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } })
  const started = Date.now()
  const kafka = await provideKafka()
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  emit(
    values.json,
    {
      kafka: { source: kafka.source, brokers: kafka.brokers, logFile: kafka.logFile },
      startSeconds: Number(seconds),
    },
    [
      `event-backbone local stack is up (${seconds} s)`,
      `  Kafka (${kafka.source}): ${kafka.brokers.join(',')}${kafka.logFile ? `  log: ${kafka.logFile}` : ''}`,
      '  Press Ctrl-C to stop everything.',
    ].join('\n'),
  )
  await untilSignal()
  process.stdout.write('stopping...\n')
  await kafka.stop()
  process.stdout.write('stopped cleanly\n')
  return 0
}
