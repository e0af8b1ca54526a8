import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { javaExecutable, resolveKafkaClasspath } from '#libs/kafka-local'

const run = promisify(execFile)

/**
 * Every record key of `topic` (UTF-8, one per record, from the beginning), read read_committed by
 * Kafka's own Java consumer (`ConsoleConsumer` from the pinned jars): the verdict on an
 * exactly-once output. kafkajs 2.2.4's read_committed filter can return records of aborted
 * transactions when several transactional producers write one partition (docs/consumer-runtime.md,
 * test/helpers/java-reader.ts); a kafkajs reader then reports "duplicates" Kafka does not hold.
 * Stops after `idleMs` without a record.
 */
export async function readCommittedKeys(
  brokers: readonly string[],
  topic: string,
  idleMs = 15_000,
): Promise<string[]> {
  const classpath = await resolveKafkaClasspath()
  const { stdout } = await run(
    javaExecutable(),
    [
      '-Xmx256m',
      '-cp',
      classpath,
      'org.apache.kafka.tools.consumer.ConsoleConsumer',
      '--bootstrap-server',
      brokers.join(','),
      '--topic',
      topic,
      '--from-beginning',
      '--isolation-level',
      'read_committed',
      '--property',
      'print.key=true',
      '--property',
      'print.value=false',
      '--timeout-ms',
      String(idleMs),
    ],
    { timeout: idleMs + 120_000, maxBuffer: 64 * 1024 * 1024 },
  ).catch((error: { stdout?: string; code?: number }) => {
    // ConsoleConsumer exits non-zero when its idle timeout ends the read; what it printed counts.
    if (typeof error.stdout === 'string') return { stdout: error.stdout }
    throw error
  })
  // Keys are ids without blanks; the tool's own notices on stdout have them.
  return stdout.split('\n').filter((line) => line.length > 0 && !/\s/.test(line))
}

/** Keys read more than once, and how many extra copies in all. */
export function duplicatesIn(keys: readonly string[]): { keys: number; records: number } {
  const counts = new Map<string, number>()
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1)
  let duplicated = 0
  let extra = 0
  for (const count of counts.values()) {
    if (count > 1) {
      duplicated += 1
      extra += count - 1
    }
  }
  return { keys: duplicated, records: extra }
}

/** The exactly-once verdict on an output keyed by the business key: what is missing, what is twice. */
export async function committedVerdict(
  brokers: readonly string[],
  topic: string,
  expected: Iterable<string>,
): Promise<{ records: number; lost: string[]; duplicates: { keys: number; records: number } }> {
  const keys = await readCommittedKeys(brokers, topic)
  const present = new Set(keys)
  return {
    records: keys.length,
    lost: [...expected].filter((key) => !present.has(key)),
    duplicates: duplicatesIn(keys),
  }
}
