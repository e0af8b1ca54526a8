// Proves the stack's supervision with real processes: a service killed from outside is reported at once with its signal and last lines and restarted, a crash loop stays down after the restart budget, restarts can be turned off, and a requested stop is no crash.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type TestContext, test } from 'node:test'
import { freePort } from '#libs/kafka-local'
import { type RestartPolicy, type SupervisorEvent, startServiceProcess, supervise } from '#libs/stack'

const fixture = new URL('../../fixtures/ready-service.ts', import.meta.url).pathname

async function supervised(t: TestContext, policy: Partial<RestartPolicy>, env: Record<string, string> = {}) {
  const logDir = mkdtempSync(join(tmpdir(), 'eb-supervisor-'))
  const port = await freePort()
  const spec = {
    name: 'fixture',
    entry: fixture,
    url: `http://127.0.0.1:${port}`,
    cwd: logDir,
    logDir,
    env: { ...process.env, SERVICE_PORT: String(port), ...env },
  }
  const events: SupervisorEvent[] = []
  const waiters: Array<() => void> = []
  const service = supervise(await startServiceProcess(spec), () => startServiceProcess(spec), {
    policy,
    onEvent: (event) => {
      events.push(event)
      for (const wake of waiters.splice(0)) wake()
    },
  })
  t.after(async () => {
    await service.stop(2_000)
    rmSync(logDir, { recursive: true, force: true })
  })
  const next = async (type: SupervisorEvent['type'], after = 0): Promise<SupervisorEvent> => {
    const deadline = Date.now() + 30_000
    for (;;) {
      const found = events.slice(after).find((event) => event.type === type)
      if (found) return found
      if (Date.now() > deadline) throw new Error(`no ${type} event; saw ${JSON.stringify(events)}`)
      await new Promise<void>((resolve) => {
        waiters.push(resolve)
        setTimeout(resolve, 1_000)
      })
    }
  }
  return { service, events, next }
}

test('a service killed from outside is reported within a second with its signal and last lines, then restarted', async (t) => {
  const { service, next } = await supervised(t, { initialDelayMs: 100 })
  const firstPid = service.pid!
  const killedAt = Date.now()
  process.kill(firstPid, 'SIGKILL')
  const exited = await next('exited')
  assert.ok(Date.now() - killedAt < 1_000, 'reported within a second')
  assert.equal(exited.type === 'exited' && exited.signal, 'SIGKILL')
  assert.ok(exited.type === 'exited' && exited.lastLines.some((line) => line.includes(`pid ${firstPid}`)))
  assert.ok(exited.type === 'exited' && exited.restartInMs === 100)
  const restarted = await next('restarted')
  assert.ok(restarted.type === 'restarted' && restarted.pid !== firstPid)
  assert.equal(service.state, 'ready')
  assert.equal(service.restarts, 1)
  assert.equal(service.pid, restarted.type === 'restarted' ? restarted.pid : undefined)
  const ready = await fetch(`${service.url}/readyz`)
  assert.equal(ready.status, 200, 'the restarted process serves')
})

test('a crash loop is restarted with growing back-off until the budget of a minute is spent, then stays down', async (t) => {
  const { service, events, next } = await supervised(
    t,
    { initialDelayMs: 50, maxPerMinute: 2 },
    { CRASH_AFTER_MS: '300' },
  )
  const gaveUp = await next('gave-up')
  assert.ok(gaveUp.type === 'gave-up' && /2 restarts within a minute/.test(gaveUp.reason))
  const exits = events.filter((event) => event.type === 'exited')
  assert.deepEqual(
    exits.map((event) => event.type === 'exited' && event.restartInMs),
    [50, 100, undefined],
  )
  assert.ok(exits.every((event) => event.type === 'exited' && event.code === 3))
  assert.ok(
    exits.every(
      (event) =>
        event.type === 'exited' && event.lastLines.some((line) => line.includes('crashes on purpose')),
    ),
  )
  assert.equal(service.state, 'down')
  assert.equal(service.restarts, 2)
  assert.equal(service.pid, undefined)
})

test('with restarts off a service that exits stays down and says why', async (t) => {
  const { service, events, next } = await supervised(t, { enabled: false })
  process.kill(service.pid!, 'SIGKILL')
  const gaveUp = await next('gave-up')
  assert.ok(gaveUp.type === 'gave-up' && /--no-restart/.test(gaveUp.reason))
  assert.equal(events.filter((event) => event.type === 'restarted').length, 0)
  assert.equal(service.state, 'down')
})

test('a requested stop is no crash: no report, no restart', async (t) => {
  const { service, events } = await supervised(t, { initialDelayMs: 50 })
  await service.stop()
  assert.equal(service.state, 'stopped')
  // The watcher sees the exit in the same turn as stop() does; give it that turn.
  await new Promise(setImmediate)
  assert.deepEqual(events, [])
})
