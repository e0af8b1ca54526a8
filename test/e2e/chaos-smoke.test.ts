// Proves the chaos suite still runs: `npm run chaos` at smoke size passes every scenario, ends with the verdict line and exit 0, and leaves the published figures alone.
import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { clusterScenarios } from '../../chaos/lib/scenario.ts'
import { runSuiteScript, snapshotFiles } from '../helpers/suite-run.ts'

const root = new URL('../../', import.meta.url).pathname
const snapshot = () => snapshotFiles(['chaos/results/latest.json', 'docs/reliability.md'])

test('every single-broker chaos scenario passes at smoke size with the verdict line and exit 0, without overwriting the published figures', {
  timeout: 300_000,
}, async () => {
  const before = snapshot()
  const { code, stdout, stderr } = await runSuiteScript('chaos/run.ts', { CHAOS_SMOKE: '1' }, 280_000)
  // The 3-node cluster scenarios are left out of the smoke run (broker-failover-cluster.test.ts runs one).
  const scenarios = readdirSync(join(root, 'chaos'))
    .filter((file) => file.endsWith('.chaos.ts'))
    .filter((file) => !clusterScenarios.includes(file.replace(/\.chaos\.ts$/, ''))).length
  assert.equal(code, 0, `the smoke run failed:\n${stdout}\n${stderr.slice(-3000)}`)
  assert.match(stdout, new RegExp(`^chaos: ${scenarios} passed, 0 failed$`, 'm'))
  assert.deepEqual(snapshot(), before, 'a smoke run does not touch the published figures')
})
