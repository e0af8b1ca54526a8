// Proves the local broker's lifecycle: no JVM outlives its starter, and bad input fails fast with one clear line.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { test } from 'node:test'
import { BrokerUnreachableError } from '@event-backbone/errors'
import { freePort, provideKafka } from '#libs/kafka-local'
import { repoRoot, runCli } from '../../helpers/cli.ts'
import { waitFor } from '../../helpers/kafka.ts'

const root = repoRoot

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0)
    return true
  } catch {
    return false
  }
}

test('a broker whose starter is killed with SIGKILL stops and leaves no JVM nor data behind', async () => {
  const starter = spawn(process.execPath, [join(root, 'test/fixtures/attached-broker.ts')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const firstLine = await new Promise<string>((resolve, reject) => {
    createInterface({ input: starter.stdout! }).once('line', resolve)
    starter.once('exit', (code) => reject(new Error(`fixture exited early (${code})`)))
  })
  const broker = JSON.parse(firstLine) as { pid: number; dataDir: string }
  assert.ok(groupAlive(broker.pid), 'the broker runs while its starter lives')

  starter.kill('SIGKILL')
  await waitFor(() => !groupAlive(broker.pid), {
    timeoutMs: 60_000,
    description: 'the broker process group to exit',
  })
  await waitFor(() => !existsSync(broker.dataDir), {
    timeoutMs: 10_000,
    description: 'the data dir to be removed',
  })
})

test('an unreachable KAFKA_BROKERS fails within its timeout with a clear error', async () => {
  const port = await freePort()
  const started = Date.now()
  await assert.rejects(
    provideKafka({ KAFKA_BROKERS: `127.0.0.1:${port}`, KAFKA_CONNECT_TIMEOUT_MS: '1500' }),
    (error: unknown) => {
      assert.ok(error instanceof BrokerUnreachableError)
      assert.match(error.message, new RegExp(`Kafka at 127.0.0.1:${port} did not answer within 2 s`))
      return true
    },
  )
  assert.ok(Date.now() - started < 30_000, 'it does not hang')
})

test('the CLI refuses a port in use with one line and a non-zero exit', async (t) => {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => server.close())
  const port = (server.address() as { port: number }).port
  const result = await runCli(['kafka', 'start', '--foreground', '--port', String(port)])
  assert.equal(result.status, 1)
  assert.equal(result.stderr.trim(), `backbone: port ${port} on 127.0.0.1 is already in use [EB_PORT_IN_USE]`)
})

test('the CLI says Java is missing with one line and a non-zero exit', async () => {
  const result = await runCli(['kafka', 'start', '--foreground'], { JAVA_HOME: '/nonexistent-jdk' })
  assert.equal(result.status, 1)
  assert.match(result.stderr.trim(), /^backbone: Java 17 or newer is needed .* \[EB_JAVA_NOT_FOUND\]$/)
})

test('the CLI starts a detached broker, reports it, and stops it', async (t) => {
  const stateDir = mkdtempSync(join(tmpdir(), 'backbone-state-'))
  const env = { BACKBONE_STATE_DIR: stateDir }
  t.after(() => runCli(['kafka', 'stop'], env))

  const started = await runCli(['kafka', 'start', '--json'], env)
  assert.equal(started.status, 0, started.stderr)
  const info = JSON.parse(started.stdout) as { bootstrap: string; pid: number; dataDir: string }
  assert.match(info.bootstrap, /^127\.0\.0\.1:\d+$/)

  const status = await runCli(['kafka', 'status', '--json'], env)
  assert.equal(status.status, 0)
  assert.equal((JSON.parse(status.stdout) as { running: boolean }).running, true)

  const stopped = await runCli(['kafka', 'stop'], env)
  assert.equal(stopped.status, 0, stopped.stderr)
  assert.equal(stopped.stdout.trim(), `Kafka at ${info.bootstrap} stopped`)
  assert.ok(!groupAlive(info.pid), 'no broker process remains')
  assert.ok(!existsSync(info.dataDir), 'its temporary data dir is gone')

  const after = await runCli(['kafka', 'status'], env)
  assert.equal(after.status, 3)
  assert.equal(after.stdout.trim(), 'Kafka is not running')
})
