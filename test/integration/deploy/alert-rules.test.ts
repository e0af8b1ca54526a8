// Proves the shipped alert rules and Prometheus config are valid for a real promtool, and that each alert fires on the series that make it true (deploy/alerts.test.yml).
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { test } from 'node:test'
import { promisify } from 'node:util'

const run = promisify(execFile)
const deploy = new URL('../../../deploy/', import.meta.url).pathname

async function promtool(...args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run('promtool', args, { cwd: deploy })
    return stdout + stderr
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string }
    assert.fail(`promtool ${args.join(' ')} failed:\n${failed.stdout ?? ''}${failed.stderr ?? ''}`)
  }
}

test('promtool accepts the alert rules', async () => {
  assert.match(await promtool('check', 'rules', 'alerts.yml'), /SUCCESS: \d+ rules found/)
})

test('promtool accepts the Prometheus config of docker-compose.yml, rule files included', async () => {
  assert.match(await promtool('check', 'config', 'prometheus.yml'), /SUCCESS/)
})

test('every alert fires on the series that make it true and not before (promtool test rules)', async () => {
  assert.match(await promtool('test', 'rules', 'alerts.test.yml'), /SUCCESS/)
})
