/**
 * One restore of changelog partition 0, alone in its process so its memory is its own; prints one
 * JSON line. Modes:
 *   store      PartitionStore with a 30-day horizon restores the partition (what a service does)
 *   scan       the same read (fence, one-partition group, 1 MiB fetches) with no store: the floor
 *   scan-<n>   the same read with fetches of n KiB
 *
 *   node state-restore-worker.ts <mode> <topic>
 */
import type { Kafka } from 'kafkajs'
import type { HandlerContext } from '#libs/consumer'
import { jsonCodec, PartitionStore, restoreFetchBytes, scanPartition } from '#libs/state'
import { benchKafka } from './lib/env.ts'

const [mode, topic] = process.argv.slice(2) as [string, string]
const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with --expose-gc')

function context(): HandlerContext {
  return {
    topic: 'payments',
    sourceTopic: 'payments',
    partition: 0,
    offset: '0',
    timestamp: '0',
    key: null,
    headers: {},
    attempt: 1,
    emit: async () => {},
  }
}

async function restore(kafka: Kafka): Promise<number> {
  if (mode === 'store') {
    const store = new PartitionStore<unknown>({
      kafka,
      groupId: 'bench',
      changelogTopic: topic,
      codec: jsonCodec(),
      horizon: { ms: 30 * 86_400_000 },
      restoreTimeoutMs: 120_000,
    })
    store.hooks.onAssign?.({ topic: 'payments', partition: 0 })
    try {
      const values = await store.partition(context())
      // Kept reachable until the heap is measured below.
      retained = values
      return values.size
    } finally {
      await store.close()
    }
  }
  let records = 0
  await scanPartition(
    kafka,
    topic,
    0,
    () => {
      records++
    },
    {
      timeoutMs: 120_000,
      maxBytesPerPartition: mode.startsWith('scan-') ? Number(mode.slice(5)) * 1024 : restoreFetchBytes,
    },
  )
  return records
}

let retained: unknown
const kafka = benchKafka()
// Connections and modules warmed outside the measurement: a restoring service has them already.
const admin = kafka.admin()
await admin.connect()
await admin.fetchTopicMetadata({ topics: [topic] })
await admin.disconnect()
gc()
const heapBefore = process.memoryUsage().heapUsed
const rssBefore = process.memoryUsage().rss
const started = performance.now()
const cpuBefore = process.cpuUsage()
const keys = await restore(kafka)
const ms = performance.now() - started
// CPU time is what this process spent, whatever else the shared machine runs: wall time is not.
const cpu = process.cpuUsage(cpuBefore)
const peakRss = process.resourceUsage().maxRSS * 1024
gc()
const heapAfter = process.memoryUsage().heapUsed
process.stdout.write(
  `${JSON.stringify({
    mode,
    keys,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    retainedHeapBytes: heapAfter - heapBefore,
    peakRssDeltaBytes: peakRss - rssBefore,
    kept: retained === undefined ? 0 : 1,
  })}\n`,
)
process.exit(0)
