// CI's broker crash: `npm run chaos -- broker-failover` at smoke size on its own 3-node cluster; every payment the gateway acknowledged is posted exactly once although the node leading most of payments and ledger was SIGKILLed mid-stream.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { runSuiteScript, snapshotFiles } from '../helpers/suite-run.ts'

const snapshot = () => snapshotFiles(['chaos/results/latest.json', 'docs/reliability.md'])

test('broker-failover passes at smoke size: nothing acknowledged is lost or posted twice when the busiest leader is SIGKILLed', {
  timeout: 300_000,
}, async () => {
  const before = snapshot()
  const { code, stdout, stderr } = await runSuiteScript('chaos/run.ts', { CHAOS_SMOKE: '1' }, 280_000, [
    'broker-failover',
  ])
  assert.equal(code, 0, `the smoke run failed:\n${stdout}\n${stderr.slice(-3000)}`)
  assert.match(stdout, /^chaos: 1 passed, 0 failed$/m)
  const figures = Object.fromEntries(
    [...(stdout.match(/^PASS\s+broker-failover\s.*$/m)?.[0] ?? '').matchAll(/(\w+)=(\S+)/g)].map((m) => [
      m[1],
      m[2],
    ]),
  )
  // It did crash a leader while payments flowed, and checked them all.
  assert.ok(Number(figures['leadersOnKilledNode']) > 0, stdout)
  assert.ok(Number(figures['acknowledged']) > 0, stdout)
  assert.equal(figures['lost'], '0')
  assert.equal(figures['duplicateKeys'], '0')
  assert.deepEqual(snapshot(), before, 'a smoke run does not touch the published figures')
})
