// Proves that `backbone topics ensure` reports existing topics short of the durability profile: listed in --json, exit 4 with --strict.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { catalogTopicSpecs } from '#libs/events'
import { runCli } from '../../helpers/cli.ts'

const catalogTopics = catalogTopicSpecs().map((spec) => spec.topic)

test('topics ensure reports catalog topics with fewer replicas than the profile asks for, and --strict fails on them', async () => {
  const first = await runCli(['topics', 'ensure', '--brokers', process.env['KAFKA_BROKERS']!, '--json'])
  assert.equal(first.status, 0, first.stderr)
  const { brokers } = JSON.parse(first.stdout) as { brokers: number }

  // One replica more than this cluster can hold: every existing catalog topic falls short.
  const profile = { BACKBONE_DURABILITY: `domain:${brokers + 1}/1` }
  const lenient = await runCli(
    ['topics', 'ensure', '--brokers', process.env['KAFKA_BROKERS']!, '--json'],
    profile,
  )
  assert.equal(lenient.status, 0, lenient.stderr)
  const report = JSON.parse(lenient.stdout) as {
    created: string[]
    shortfalls: { topic: string; family: string; wanted: { replicationFactor: number } }[]
  }
  assert.deepEqual(report.created, [])
  assert.deepEqual(report.shortfalls.map((s) => s.topic).sort(), [...catalogTopics].sort())
  assert.ok(
    report.shortfalls.every((s) => s.family === 'domain' && s.wanted.replicationFactor === brokers + 1),
  )

  const strict = await runCli(
    ['topics', 'ensure', '--brokers', process.env['KAFKA_BROKERS']!, '--strict'],
    profile,
  )
  assert.equal(strict.status, 4)
  assert.match(strict.stdout, /short of the durability profile: /)

  const fine = await runCli(['topics', 'ensure', '--brokers', process.env['KAFKA_BROKERS']!, '--strict'])
  assert.equal(fine.status, 0, fine.stderr)
})
