import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { javaExecutable, resolveKafkaClasspath } from '#libs/kafka-local'
import { testBrokers, uniqueName } from './kafka.ts'

const run = promisify(execFile)

/**
 * The first `count` values of `topic` (from the beginning, as UTF-8 lines), read_committed by
 * Kafka's own Java consumer (`ConsoleConsumer` from the pinned jars). Exactly-once assertions need
 * it: kafkajs 2.2.4's read_committed filter walks the broker's aborted-transaction list in the
 * order given, but the broker lists aborted transactions in abort order, not first-offset order
 * (the Java client sorts them), so with several transactional producers on one partition kafkajs
 * can return records of an aborted transaction. Stops after `count` values, or after `idleMs`
 * without a record when there are fewer.
 */
export async function readCommittedValues(topic: string, count: number, idleMs = 30_000): Promise<string[]> {
  const classpath = await resolveKafkaClasspath()
  const { stdout } = await run(
    javaExecutable(),
    [
      '-cp',
      classpath,
      'org.apache.kafka.tools.consumer.ConsoleConsumer',
      '--bootstrap-server',
      testBrokers().join(','),
      '--topic',
      topic,
      '--from-beginning',
      '--group',
      uniqueName('java-reader'),
      '--consumer-property',
      'isolation.level=read_committed',
      '--max-messages',
      String(count),
      '--timeout-ms',
      String(idleMs),
    ],
    { timeout: idleMs + 60_000, maxBuffer: 16 * 1024 * 1024 },
  )
  return stdout.split('\n').filter((line) => line.length > 0)
}
