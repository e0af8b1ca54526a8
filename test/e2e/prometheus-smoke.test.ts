// Proves the alert rules of deploy/ against the running stack: a real Prometheus (Debian's package) scrapes every service of backbone up, and the rules fire when the test makes them true: a dead-lettered record, a stopped consumer whose lag grows, a service killed and restarted.
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { test } from 'node:test'
import { setTimeout as delay } from 'node:timers/promises'
import { freePort } from '#libs/kafka-local'

const root = new URL('../../', import.meta.url).pathname

interface Alert {
  labels: Record<string, string>
  state: 'pending' | 'firing'
}

/** Polls `probe` until it returns a value, or fails naming `what` after `timeoutMs`. */
async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await probe()
      if (value !== undefined) return value
    } catch (error) {
      last = error
    }
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}${last ? `: ${last}` : ''}`)
    await delay(500)
  }
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill(signal)
  await exited
}

test('Prometheus scrapes every service of backbone up, and the shipped rules fire for a dead-lettered record, a stopped consumer (down, lag growing) and a restarted service', async (t) => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BACKBONE_KAFKA: 'local',
    // Measure often, so the rules see changes within seconds.
    CONSUMER_LAG_INTERVAL: '1s',
    DLQ_METRICS_INTERVAL: '1s',
  }
  delete env['KAFKA_BROKERS']
  const up = spawn(
    process.execPath,
    [join(root, 'bin/backbone.js'), 'up', '--json', '--free-ports', '--no-demo'],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'ignore'] },
  )
  const paused = new Set<number>()
  t.after(async () => {
    for (const pid of paused) process.kill(pid, 'SIGCONT')
    // Twice, as a terminal does; up stops every service and the broker, then exits.
    const exited = once(up, 'exit')
    up.kill('SIGINT')
    up.kill('SIGINT')
    await exited
  })
  const lines = createInterface({ input: up.stdout! })
  const started = JSON.parse(((await once(lines, 'line')) as [string])[0]) as {
    services: Record<string, string>
    apiKey: string
  }
  const services = started.services
  assert.ok(Object.keys(services).length >= 7, JSON.stringify(services))

  // Prometheus with the shipped rules; only the `for:` durations shortened, so nothing waits minutes.
  const dir = await mkdtemp(join(tmpdir(), 'eb-prometheus-'))
  const rules = await readFile(join(root, 'deploy/alerts.yml'), 'utf8')
  await writeFile(join(dir, 'alerts.yml'), rules.replace(/^(\s+)for: \S+$/gm, '$1for: 0s'))
  const targets = Object.values(services).map((url) => new URL(url).host)
  await writeFile(
    join(dir, 'prometheus.yml'),
    JSON.stringify({
      global: { scrape_interval: '2s', scrape_timeout: '2s', evaluation_interval: '1s' },
      rule_files: ['alerts.yml'],
      scrape_configs: [
        { job_name: 'event-backbone', metrics_path: '/metrics', static_configs: [{ targets }] },
      ],
    }),
  )
  const port = await freePort()
  const prometheus = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let prometheusLog = ''
  prometheus.stderr!.on('data', (chunk: Buffer) => {
    prometheusLog = (prometheusLog + chunk.toString()).slice(-4_000)
  })
  t.after(async () => {
    await stopChild(prometheus, 'SIGTERM')
    await rm(dir, { recursive: true, force: true })
  })
  const api = `http://127.0.0.1:${port}/api/v1`
  const query = async (promql: string) => {
    const response = await fetch(`${api}/query?query=${encodeURIComponent(promql)}`)
    const body = (await response.json()) as {
      data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> }
    }
    return body.data.result
  }
  const firing = async (name: string, labels: Record<string, string>) => {
    const body = (await (await fetch(`${api}/alerts`)).json()) as { data: { alerts: Alert[] } }
    return body.data.alerts.find(
      (alert) =>
        alert.state === 'firing' &&
        alert.labels['alertname'] === name &&
        Object.entries(labels).every(([key, value]) => alert.labels[key] === value),
    )
  }
  const publish = async (eventType: string, event: Record<string, unknown>) => {
    const response = await fetch(`${services['ingest-gateway']}/v1/events/${eventType}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${started.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(event),
    })
    assert.equal(response.status, 202, await response.text())
  }

  // Every service is scraped.
  await until(`every target up (${prometheusLog})`, 60_000, async () => {
    const result = await query('up{job="event-backbone"} == 1')
    return result.length === targets.length ? result : undefined
  })
  // The live gauges arrive: every consumer group's lag and the dead-letter topics, empty so far.
  const dlt = 'upload-processor.uploads.dlt'
  await until('the lag of the four consumer groups and the empty dead-letter topic', 60_000, async () => {
    const groups = new Set((await query('eb_consumer_group_lag_records')).map((s) => s.metric['group']))
    const depth = await query(`eb_dlq_depth_records{topic="${dlt}"}`)
    const all = ['upload-processor', 'payments-ledger', 'login-monitor', 'sensor-aggregator']
    return all.every((group) => groups.has(group)) && depth[0]?.value[1] === '0' ? true : undefined
  })
  assert.equal(await firing('EventBackboneDeadLetterNonEmpty', { topic: dlt }), undefined)

  // A record that fails for good is dead-lettered: the dead-letter alert fires for its topic.
  const uploadId = randomUUID()
  await publish('FileUploadCompleted', {
    eventId: randomUUID(),
    occurredAt: new Date().toISOString(),
    source: 'prometheus-smoke',
    uploadId,
    ownerId: 'user-1',
    fileName: 'broken.pdf',
    contentType: 'application/pdf',
    sizeBytes: 1_000,
    storageUri: `s3://smoke/${uploadId}`,
    checksumSha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    tags: { simulate: 'permanent' },
  })
  await until('EventBackboneDeadLetterNonEmpty', 90_000, () =>
    firing('EventBackboneDeadLetterNonEmpty', { topic: dlt }),
  )

  // A stopped consumer (SIGSTOP: the supervisor sees no exit) is down, and its group's lag grows
  // while logins keep arriving, as the console measures it.
  const status = JSON.parse(await readFile(join(root, '.backbone/stack.json'), 'utf8')) as {
    services: Array<{ name: string; pid: number; url: string }>
  }
  const monitor = status.services.find((service) => service.name === 'login-monitor')!
  process.kill(monitor.pid, 'SIGSTOP')
  paused.add(monitor.pid)
  const monitorInstance = new URL(monitor.url).host
  await until(
    'EventBackboneServiceDown and EventBackboneConsumerLagGrowing for login-monitor',
    120_000,
    async () => {
      await publish('UserLogin', {
        eventId: randomUUID(),
        occurredAt: new Date().toISOString(),
        source: 'prometheus-smoke',
        userId: `user-${randomUUID()}`,
        ipAddress: '192.0.2.1',
        userAgent: 'prometheus-smoke',
        outcome: 'SUCCEEDED',
        failureReason: null,
        method: 'PASSWORD',
      })
      const down = await firing('EventBackboneServiceDown', { instance: monitorInstance })
      const lag = await firing('EventBackboneConsumerLagGrowing', { group: 'login-monitor', topic: 'logins' })
      return down && lag ? true : undefined
    },
  )
  process.kill(monitor.pid, 'SIGCONT')
  paused.delete(monitor.pid)

  // A service killed from outside is restarted by backbone up: its start time changes.
  const aggregator = status.services.find((service) => service.name === 'sensor-aggregator')!
  process.kill(aggregator.pid, 'SIGKILL')
  await until('EventBackboneServiceRestarted for sensor-aggregator', 120_000, () =>
    firing('EventBackboneServiceRestarted', { instance: new URL(aggregator.url).host }),
  )
})
