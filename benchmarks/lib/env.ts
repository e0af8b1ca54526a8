import { randomBytes } from 'node:crypto'
import { Kafka, logLevel } from 'kafkajs'

export const smoke = process.env['BENCH_SMOKE'] === '1'

/**
 * Node flags that make a bench process (or a server a bench measures) write a V8 CPU profile to
 * BENCH_CPU_PROF=<dir>; none when it is unset. Profile before optimising.
 */
export function cpuProfileFlags(env: NodeJS.ProcessEnv = process.env): string[] {
  const dir = env['BENCH_CPU_PROF']
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []
}

/** The bench's broker: `npm run bench` starts one and passes it in KAFKA_BROKERS. */
export function benchBrokers(): string[] {
  const brokers = process.env['KAFKA_BROKERS']
  if (!brokers) throw new Error('KAFKA_BROKERS is not set: run benchmarks through `npm run bench`')
  return brokers.split(',')
}

export function benchKafka(): Kafka {
  return new Kafka({ clientId: 'bench', brokers: benchBrokers(), logLevel: logLevel.NOTHING })
}

export function benchName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`
}

export async function createBenchTopic(kafka: Kafka, topic: string, numPartitions = 3): Promise<void> {
  const admin = kafka.admin()
  await admin.connect()
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions, replicationFactor: 1 }],
    })
  } finally {
    await admin.disconnect()
  }
}

/** Best effort: a bench leaves its topics behind only when it crashed. */
export async function deleteBenchTopics(kafka: Kafka, topics: readonly string[]): Promise<void> {
  const admin = kafka.admin()
  await admin.connect()
  try {
    await admin.deleteTopics({ topics: [...topics] }).catch(() => {})
  } finally {
    await admin.disconnect()
  }
}
