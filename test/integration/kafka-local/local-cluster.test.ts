// Proves the local 3-node KRaft cluster: topics get RF 3 / min ISR 2, acks=all writes and reads go on with one node SIGKILLed, status shows the node down, and no JVM outlives its owner.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { test } from 'node:test'
import { Kafka, logLevel } from 'kafkajs'
import { ensureTopics, TopicFamily, waitForTopics } from '#libs/kafka'
import { cliPath, repoRoot, runCli } from '../../helpers/cli.ts'
import { groupAlive, killNode, ownCluster } from '../../helpers/cluster.ts'
import { uniqueName, waitFor } from '../../helpers/kafka.ts'

const TOPIC_RESOURCE = 2

test('topics get RF 3 and min ISR 2, and acks=all writes and reads go on with one node SIGKILLed', async (t) => {
  const cluster = await ownCluster(t)
  assert.equal(cluster.nodes.length, 3)
  const kafka = new Kafka({
    clientId: uniqueName('cluster'),
    brokers: [...cluster.brokers],
    logLevel: logLevel.NOTHING,
  })
  const admin = kafka.admin()
  await admin.connect()
  cluster.beforeStop(() => admin.disconnect())

  const topics = {
    [TopicFamily.domain]: uniqueName('cluster-domain'),
    [TopicFamily.deadLetter]: uniqueName('cluster-dlt'),
    [TopicFamily.changelog]: uniqueName('cluster-changelog'),
  }
  const report = await ensureTopics(
    admin,
    Object.entries(topics).map(([family, topic]) => ({
      topic,
      numPartitions: 3,
      family: family as TopicFamily,
    })),
  )
  assert.equal(report.brokers, 3)
  const metadata = await admin.fetchTopicMetadata({ topics: Object.values(topics) })
  for (const topic of metadata.topics) {
    assert.deepEqual(
      topic.partitions.map((p) => p.replicas.length),
      [3, 3, 3],
      topic.name,
    )
  }
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: Object.values(topics).map((name) => ({
      type: TOPIC_RESOURCE,
      name,
      configNames: ['min.insync.replicas'],
    })),
  })
  assert.deepEqual(
    described.resources.map((r) => r.configEntries[0]?.configValue),
    ['2', '2', '2'],
  )

  // A topic made by hand with one replica falls short of the profile and is reported, not changed.
  const thin = uniqueName('cluster-thin')
  await admin.createTopics({
    waitForLeaders: false,
    topics: [{ topic: thin, numPartitions: 1, replicationFactor: 1 }],
  })
  await waitForTopics(admin, [thin])
  const short = await ensureTopics(admin, [{ topic: thin, numPartitions: 1 }])
  assert.deepEqual(
    short.shortfalls.map((s) => [s.topic, s.replicationFactor, s.wanted.replicationFactor]),
    [[thin, 1, 3]],
  )

  const topic = topics.domain
  // Retries that outlast the fencing of a crashed leader (broker.session.timeout.ms, 6 s here).
  const producer = kafka.producer({ idempotent: true, retry: { retries: 10 } })
  await producer.connect()
  cluster.beforeStop(() => producer.disconnect())
  const send = (value: string) => producer.send({ topic, acks: -1, messages: [{ key: value, value }] })
  await send('before')

  const victim = cluster.nodes[2]!
  killNode(victim.pid)
  await waitFor(() => !groupAlive(victim.pid), {
    timeoutMs: 30_000,
    description: 'the killed node to be gone',
  })

  // kafkajs retries on the leader moves; with 2 of 3 replicas in sync acks=all still succeeds.
  await send('after')

  const consumer = kafka.consumer({ groupId: uniqueName('cluster-group') })
  await consumer.connect()
  cluster.beforeStop(() => consumer.disconnect())
  await consumer.subscribe({ topic, fromBeginning: true })
  const seen = new Set<string>()
  await consumer.run({
    eachMessage: async ({ message }) => {
      seen.add(message.value?.toString() ?? '')
    },
  })
  await waitFor(() => seen.has('before') && seen.has('after'), {
    timeoutMs: 90_000,
    description: 'both records to be consumed with one node down',
  })
})

test('kafka start --nodes 3 runs a cluster whose status lists every node, shows a killed one down, and stop ends them all', async (t) => {
  const env = { BACKBONE_STATE_DIR: mkdtempSync(join(tmpdir(), 'backbone-cluster-state-')) }
  t.after(() => runCli(['kafka', 'stop'], env))
  const started = await runCli(['kafka', 'start', '--nodes', '3', '--json'], env)
  assert.equal(started.status, 0, started.stderr)
  const info = JSON.parse(started.stdout) as { dataDir: string; nodes: { nodeId: number; pid: number }[] }
  assert.deepEqual(
    info.nodes.map((n) => n.nodeId),
    [1, 2, 3],
  )

  type Status = { running: boolean; nodes: { nodeId: number; alive: boolean; answering: boolean }[] }
  const healthy = await runCli(['kafka', 'status', '--json'], env)
  assert.equal(healthy.status, 0, healthy.stderr)
  assert.deepEqual(
    (JSON.parse(healthy.stdout) as Status).nodes.map((n) => [n.nodeId, n.answering]),
    [
      [1, true],
      [2, true],
      [3, true],
    ],
  )

  killNode(info.nodes[1]!.pid)
  await waitFor(() => !groupAlive(info.nodes[1]!.pid), {
    timeoutMs: 30_000,
    description: 'node 2 to be gone',
  })
  const degraded = await runCli(['kafka', 'status', '--json'], env)
  assert.equal(degraded.status, 3)
  const status = JSON.parse(degraded.stdout) as Status
  assert.equal(status.running, false)
  assert.deepEqual(
    status.nodes.map((n) => [n.nodeId, n.alive, n.answering]),
    [
      [1, true, true],
      [2, false, false],
      [3, true, true],
    ],
  )

  const stopped = await runCli(['kafka', 'stop'], env)
  assert.equal(stopped.status, 0, stopped.stderr)
  assert.ok(info.nodes.every((n) => !groupAlive(n.pid)))
  assert.equal(existsSync(info.dataDir), false)
})

test('a cluster whose owner is killed with SIGKILL leaves no JVM behind', async (t) => {
  const owner = spawn(
    process.execPath,
    [cliPath, 'kafka', 'start', '--nodes', '3', '--foreground', '--json'],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  t.after(() => owner.kill('SIGKILL'))
  const firstLine = await new Promise<string>((resolve, reject) => {
    createInterface({ input: owner.stdout! }).once('line', resolve)
    owner.once('exit', (code) => reject(new Error(`kafka start exited early (${code})`)))
  })
  const { nodes } = JSON.parse(firstLine) as { nodes: { pid: number }[] }
  assert.equal(nodes.length, 3)
  assert.ok(nodes.every((n) => groupAlive(n.pid)))

  owner.kill('SIGKILL')
  await waitFor(() => nodes.every((n) => !groupAlive(n.pid)), {
    timeoutMs: 90_000,
    description: 'every node of the cluster to exit',
  })
})
