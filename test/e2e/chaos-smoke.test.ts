// Proves the chaos suite still runs: `npm run chaos` at smoke size passes every scenario, ends with the verdict line and exit 0, and leaves the published figures alone.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'

const root = new URL('../../', import.meta.url).pathname
const published = ['chaos/results/latest.json', 'docs/reliability.md'].map((file) => join(root, file))
const snapshot = () => published.map((file) => (existsSync(file) ? readFileSync(file, 'utf8') : null))

test('every chaos scenario passes at smoke size with the verdict line and exit 0, without overwriting the published figures', {
  timeout: 300_000,
}, async () => {
  const before = snapshot()
  // Its own process group, so a hung run is killed together with the scenario it is running.
  const runner = spawn(process.execPath, [join(root, 'chaos/run.ts')], {
    cwd: root,
    env: { ...process.env, CHAOS_SMOKE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let stdout = ''
  let stderr = ''
  runner.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk
  })
  runner.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk
  })
  const timer = setTimeout(() => process.kill(-runner.pid!, 'SIGKILL'), 280_000)
  const code = await new Promise<number | null>((resolve) => runner.once('exit', resolve))
  clearTimeout(timer)
  const scenarios = readdirSync(join(root, 'chaos')).filter((file) => file.endsWith('.chaos.ts')).length
  assert.equal(code, 0, `the smoke run failed:\n${stdout}\n${stderr.slice(-3000)}`)
  assert.match(stdout, new RegExp(`^chaos: ${scenarios} passed, 0 failed$`, 'm'))
  assert.deepEqual(snapshot(), before, 'a smoke run does not touch the published figures')
})
