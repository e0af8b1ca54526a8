// Proves that `backbone dlq list | show | replay | jobs | audit` work against a real broker with --json output, and that replay without --yes is a dry-run.
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from 'node:test'
import { JobManager, planReplay } from '#libs/dlq'
import { runCli } from '../../helpers/cli.ts'
import { deadLetters } from '../../helpers/dlq.ts'
import {
  createTestTopics,
  testAdmin,
  testBrokers,
  testKafka,
  uniqueName,
  waitFor,
} from '../../helpers/kafka.ts'

test('the dlq commands list, show, dry-run, replay and report the job and its audit trail as JSON', async (t) => {
  const kafka = testKafka()
  const fixture = await deadLetters(t, kafka, [
    { key: 'a', value: Buffer.from('one'), errorClass: 'TypeError', message: 'm' },
    { key: 'b', value: Buffer.from('two'), errorClass: 'LedgerError', message: 'm' },
  ])
  const env = { KAFKA_BROKERS: testBrokers().join(','), SCHEMA_REGISTRY_URL: '', DLQ_OPERATOR: 'dave' }
  const json = async (args: string[]) => {
    const result = await runCli(['dlq', ...args, '--json'], env)
    assert.equal(result.status, 0, result.stderr)
    return JSON.parse(result.stdout)
  }
  const [listed] = await json(['list', '--filter', fixture.dlt])
  assert.equal(listed.depth, 2)
  assert.equal(listed.group, fixture.group)
  const page = await json(['show', fixture.dlt, '--error-class', 'LedgerError'])
  assert.deepEqual(
    page.records.map((r: { key: { text: string } }) => r.key.text),
    ['b'],
  )
  const dry = await json(['replay', fixture.dlt, '--key', 'a'])
  assert.equal(dry.dryRun, true)
  assert.equal(dry.wouldReplay, 1)
  const admin = await testAdmin(t, kafka)
  assert.equal((await admin.fetchTopicOffsets(fixture.retry))[0]!.high, '0', 'the dry-run wrote nothing')
  const done = await json(['replay', fixture.dlt, '--key', 'a', '--yes', '--rate', '100'])
  assert.equal(done.status, 'done')
  assert.equal(done.counts.replayed, 1)
  assert.equal(done.spec.createdBy, 'dave')
  const jobs = await json(['jobs'])
  assert.ok(jobs.some((j: { spec: { id: string } }) => j.spec.id === done.spec.id))
  const audit = await json(['audit', '--job', done.spec.id])
  assert.deepEqual(
    audit.map((a: { event: string }) => a.event),
    ['created', 'started', 'finished'],
  )
  const usage = await runCli(['dlq', 'replay'], env)
  assert.equal(usage.status, 2)
})

test('dlq help answers with the usage, show prints every dead-letter header, and an empty dead-letter topic still names its group and source', async (t) => {
  for (const args of [
    ['dlq', 'help'],
    ['dlq', '--help'],
  ]) {
    const help = await runCli(args)
    assert.equal(help.status, 0, help.stderr)
    assert.match(help.stdout, /usage: backbone dlq <list\|show\|replay\|jobs\|audit>/)
  }

  const kafka = testKafka()
  const fixture = await deadLetters(t, kafka, [
    { key: 'k', value: Buffer.from('payload'), errorClass: 'LedgerError', message: 'boom' },
  ])
  const env = { KAFKA_BROKERS: testBrokers().join(','), SCHEMA_REGISTRY_URL: '' }
  const shown = await runCli(['dlq', 'show', fixture.dlt], env)
  assert.equal(shown.status, 0, shown.stderr)
  assert.match(shown.stdout, /LedgerError: boom/)
  for (const header of ['eb.original.topic', 'eb.group', 'eb.stage', 'eb.attempts']) {
    assert.match(
      shown.stdout,
      new RegExp(`^  ${header.replaceAll('.', '\\.')} +\\S`, 'm'),
      `${header} is printed`,
    )
  }

  const source = uniqueName('empty-source')
  const group = uniqueName('empty-group')
  const empty = `${group}.${source}.dlt`
  await createTestTopics(t, [{ topic: source }, { topic: empty }])
  const listed = await runCli(['dlq', 'list', '--filter', empty, '--json'], env)
  assert.equal(listed.status, 0, listed.stderr)
  const [entry] = JSON.parse(listed.stdout) as Array<{ group: string; sourceTopic: string; depth: number }>
  assert.deepEqual([entry?.group, entry?.sourceTopic, entry?.depth], [group, source, 0])
})

test('dlq jobs resume takes over a job the console stopped and finishes it through the same job manager', async (t) => {
  const kafka = testKafka()
  const fixture = await deadLetters(
    t,
    kafka,
    Array.from({ length: 40 }, (_, i) => ({
      key: `k${i}`,
      value: Buffer.from(`v${i}`),
      errorClass: 'LedgerError',
      message: 'm',
    })),
  )
  const spec = await planReplay(kafka, { topic: fixture.dlt, ratePerSecond: 20, by: 'dave' })
  const consoleJobs = new JobManager({ kafka, chunkSize: 5 })
  consoleJobs.start({ spec })
  await waitFor(async () => ((await consoleJobs.get(spec.id))?.counts.replayed ?? 0) >= 5, {
    description: 'some progress in the console',
  })
  await consoleJobs.stop()
  const env = { KAFKA_BROKERS: testBrokers().join(','), SCHEMA_REGISTRY_URL: '', DLQ_OPERATOR: 'dave' }
  const resumed = await runCli(['dlq', 'jobs', 'resume', spec.id, '--json'], env)
  assert.equal(resumed.status, 0, resumed.stderr)
  const state = JSON.parse(resumed.stdout)
  assert.equal(state.status, 'done')
  assert.equal(state.counts.replayed, 40)
  const paused = await runCli(['dlq', 'jobs', 'cancel', spec.id, '--json'], env)
  assert.notEqual(paused.status, 0, 'a finished job cannot be cancelled')
  assert.match(paused.stderr, /already done/)
})

test('with OTEL_EXPORTER_OTLP_ENDPOINT set, a replay run from the CLI exports its job span over OTLP before the command exits', async (t) => {
  const kafka = testKafka()
  const fixture = await deadLetters(t, kafka, [
    { key: 'a', value: Buffer.from('one'), errorClass: 'TypeError', message: 'm' },
  ])
  // An OTLP/HTTP receiver: the exporter POSTs protobuf to <endpoint>/v1/traces; span names and
  // resource attributes are plain UTF-8 strings inside it.
  const exports: Array<{ path: string | undefined; type: string | undefined; body: string }> = []
  const collector = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      exports.push({
        path: request.url,
        type: request.headers['content-type'],
        body: Buffer.concat(chunks).toString('latin1'),
      })
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end()
    })
  })
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise<void>((resolve) => collector.close(() => resolve())))
  const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`
  const result = await runCli(['dlq', 'replay', fixture.dlt, '--yes', '--json'], {
    KAFKA_BROKERS: testBrokers().join(','),
    SCHEMA_REGISTRY_URL: '',
    DLQ_OPERATOR: 'erin',
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    // Long enough that only the shutdown's flush can have sent the spans.
    OTEL_BSP_SCHEDULE_DELAY: '600000',
  })
  assert.equal(result.status, 0, result.stderr)
  assert.equal(JSON.parse(result.stdout).counts.replayed, 1)
  const traces = exports.filter((request) => request.path === '/v1/traces')
  assert.ok(traces.length > 0, 'the CLI exported spans')
  assert.equal(traces[0]!.type, 'application/x-protobuf')
  const sent = traces.map((request) => request.body).join('')
  assert.ok(sent.includes(`replay ${fixture.dlt}`), 'the replay job span')
  assert.ok(sent.includes(`send ${fixture.retry}`), 'the replayed record’s send span')
  assert.ok(sent.includes('backbone-cli'), 'service.name')
  assert.ok(sent.includes('erin'), 'backbone.replay.by')
})
