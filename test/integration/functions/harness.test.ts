// The function runtimes the trigger tests deliver to (Functions Framework and workerd) record signed CloudEvents and answer 401, 503, 400 and slowly as told.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { type AddressInfo, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { setTimeout as delay } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { CloudEvent, HTTP } from 'cloudevents'
import { Webhook } from 'standardwebhooks'
import {
  type FunctionEndpoint,
  launchFunctionsFramework,
  launchWorkerd,
  startFunctionsFramework,
  startHelloFunction,
  startWorkerd,
} from '../../helpers/functions/index.ts'

const run = promisify(execFile)

/** Whether `pid` is gone or a zombie (killed, not yet reaped by its new parent) within 5 s. */
async function ended(pid: number): Promise<boolean> {
  const deadline = Date.now() + 5_000
  while (Date.now() < deadline) {
    try {
      if (/^\d+ \(.*\) Z/.test(await readFile(`/proc/${pid}/stat`, 'utf8'))) return true
    } catch {
      return true
    }
    await delay(50)
  }
  return false
}
const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`
const current = newSecret()
const previous = newSecret()

interface Message {
  readonly headers: Record<string, string>
  readonly body: string
}

function event(extra: Record<string, unknown> = {}): CloudEvent<unknown> {
  return new CloudEvent({
    id: randomUUID(),
    type: 'com.example.payments.PaymentConfirmed',
    source: '/backbone/payments',
    partitionkey: 'payer-7',
    data: { amountMinor: 1250, currency: 'EUR' },
    ...extra,
  })
}

/** Standard Webhooks headers over the exact body; several secrets give several signatures, as during rotation. */
function signed(message: Message, ...secrets: string[]): Message {
  const id = `msg_${randomUUID()}`
  const at = new Date()
  const signatures = secrets.map((secret) => new Webhook(secret).sign(id, at, message.body))
  return {
    body: message.body,
    headers: {
      ...message.headers,
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': signatures.join(' '),
    },
  }
}

function deliver(endpoint: FunctionEndpoint, message: Message, signal?: AbortSignal): Promise<Response> {
  return fetch(`${endpoint.url}/deliveries`, {
    method: 'POST',
    headers: message.headers,
    body: message.body,
    ...(signal ? { signal } : {}),
  })
}

for (const [runtime, launch] of [
  ['functions-framework', launchFunctionsFramework],
  ['workerd', launchWorkerd],
] as const) {
  describe(`${runtime} test function`, () => {
    let endpoint: FunctionEndpoint
    before(async () => {
      endpoint = await launch({ behaviour: { secrets: [current] } })
    })
    after(() => endpoint?.stop())

    const fresh = async (behaviour: Parameters<FunctionEndpoint['setBehaviour']>[0]) => {
      await endpoint.setBehaviour(behaviour)
      await endpoint.reset()
    }

    test('records a signed binary-mode CloudEvent with its attributes, key, data and headers', async () => {
      await fresh({ secrets: [current] })
      const sent = event()
      const response = await deliver(endpoint, signed(HTTP.binary(sent) as Message, current))
      assert.equal(response.status, 200)
      const [delivery] = await endpoint.waitFor(1)
      assert.equal(delivery!.mode, 'binary')
      assert.equal(delivery!.id, sent.id)
      assert.equal(delivery!.type, sent.type)
      assert.equal(delivery!.source, sent.source)
      assert.equal(delivery!.partitionKey, 'payer-7')
      assert.deepEqual(delivery!.data, { amountMinor: 1250, currency: 'EUR' })
      assert.equal(delivery!.signature, 'valid')
      assert.equal(delivery!.status, 200)
      assert.equal(delivery!.attempt, 1)
      assert.equal(delivery!.headers['ce-id'], sent.id)
      assert.match(delivery!.headers['webhook-signature']!, /^v1,/)
    })

    test('records a signed structured-mode CloudEvent', async () => {
      await fresh({ secrets: [current] })
      const sent = event()
      const response = await deliver(endpoint, signed(HTTP.structured(sent) as Message, current))
      assert.equal(response.status, 200)
      const [delivery] = await endpoint.waitFor(1)
      assert.equal(delivery!.mode, 'structured')
      assert.equal(delivery!.id, sent.id)
      assert.equal(delivery!.partitionKey, 'payer-7')
      assert.deepEqual(delivery!.data, { amountMinor: 1250, currency: 'EUR' })
    })

    test('accepts a request signed with either secret during a rotation, one signature or several', async () => {
      await fresh({ secrets: [current, previous] })
      const onlyOld = await deliver(endpoint, signed(HTTP.binary(event()) as Message, previous))
      const unknownThenNew = await deliver(
        endpoint,
        signed(HTTP.binary(event()) as Message, newSecret(), current),
      )
      assert.deepEqual([onlyOld.status, unknownThenNew.status], [200, 200])
    })

    test('answers 401 to a wrong secret, a changed body and a missing signature', async () => {
      await fresh({ secrets: [current] })
      const wrong = await deliver(endpoint, signed(HTTP.binary(event()) as Message, newSecret()))
      const good = signed(HTTP.binary(event()) as Message, current)
      const tampered = await deliver(endpoint, { ...good, body: good.body.replace('1250', '9999') })
      const unsigned = await deliver(endpoint, HTTP.binary(event()) as Message)
      assert.deepEqual([wrong.status, tampered.status, unsigned.status], [401, 401, 401])
      const deliveries = await endpoint.waitFor(3)
      assert.deepEqual(
        deliveries.map((delivery) => delivery.signature),
        ['invalid', 'invalid', 'invalid'],
      )
      assert.match(((await unsigned.json()) as { error: string }).error, /signature/)
    })

    test('answers 503 with Retry-After to the first two deliveries of an id, then 200', async () => {
      await fresh({ secrets: [current], fail: { times: 2, retryAfter: 1 } })
      const sent = event()
      const statuses: number[] = []
      for (let attempt = 0; attempt < 3; attempt++) {
        const response = await deliver(endpoint, signed(HTTP.binary(sent) as Message, current))
        statuses.push(response.status)
        if (response.status === 503) assert.equal(response.headers.get('retry-after'), '1')
      }
      assert.deepEqual(statuses, [503, 503, 200])
      const deliveries = await endpoint.waitFor(3)
      assert.deepEqual(
        deliveries.map((delivery) => [delivery.attempt, delivery.status]),
        [
          [1, 503],
          [2, 503],
          [3, 200],
        ],
      )
    })

    test('fails only the listed ids when fail.ids is set', async () => {
      const failing = event()
      await fresh({ fail: { times: 5, status: 429, ids: [failing.id] } })
      const listed = await deliver(endpoint, HTTP.binary(failing) as Message)
      const other = await deliver(endpoint, HTTP.binary(event()) as Message)
      assert.deepEqual([listed.status, other.status], [429, 200])
    })

    test('holds the first delivery of an id past a caller timeout and answers the retry at once', async () => {
      await fresh({ secrets: [current], slow: { ms: 1_500, times: 1 } })
      const sent = event()
      await assert.rejects(
        deliver(endpoint, signed(HTTP.binary(sent) as Message, current), AbortSignal.timeout(300)),
        { name: 'TimeoutError' },
      )
      const retry = await deliver(
        endpoint,
        signed(HTTP.binary(sent) as Message, current),
        AbortSignal.timeout(1_000),
      )
      assert.equal(retry.status, 200)
      const [held, retried] = await endpoint.waitFor(2, { where: (delivery) => delivery.status === 200 })
      assert.deepEqual([held!.attempt, retried!.attempt], [1, 2])
      assert.ok(held!.answeredAt! - held!.receivedAt >= 1_500, 'the first attempt was held for slow.ms')
      assert.ok(retried!.answeredAt! <= held!.answeredAt!, 'the retry was answered while the first was held')
    })

    test('answers 400 to events matching a reject rule on an attribute or a data field, 200 to others', async () => {
      await fresh({
        reject: [
          { attribute: 'type', equals: 'com.example.Poison' },
          { attribute: 'data.currency', equals: 'XXX' },
        ],
      })
      const byType = await deliver(endpoint, HTTP.binary(event({ type: 'com.example.Poison' })) as Message)
      const byField = await deliver(
        endpoint,
        HTTP.structured(event({ data: { currency: 'XXX' } })) as Message,
      )
      const fine = await deliver(endpoint, HTTP.binary(event()) as Message)
      assert.deepEqual([byType.status, byField.status, fine.status], [400, 400, 200])
      assert.match(((await byField.json()) as { error: string }).error, /data\.currency/)
    })

    test('answers 400 naming the problem to a request that is not a CloudEvent', async () => {
      await fresh({})
      const response = await deliver(endpoint, {
        headers: { 'content-type': 'application/json' },
        body: '{}',
      })
      assert.equal(response.status, 400)
      assert.match(((await response.json()) as { error: string }).error, /not a CloudEvent/)
    })

    test("with accept: 'any' records a request in another shape, counting attempts by webhook-id", async () => {
      await fresh({ accept: 'any', secrets: [current], fail: { times: 1 } })
      const lambdaShape = {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ eventSource: 'SelfManagedKafka', records: { 'payments-0': [{ offset: 7 }] } }),
      }
      const message = signed(lambdaShape, current)
      const statuses = [(await deliver(endpoint, message)).status, (await deliver(endpoint, message)).status]
      assert.deepEqual(statuses, [503, 200])
      const [first, second] = await endpoint.waitFor(2)
      assert.equal(first!.mode, 'other')
      assert.equal(second!.id, message.headers['webhook-id'])
      assert.equal(second!.attempt, 2)
      assert.deepEqual(second!.data, JSON.parse(lambdaShape.body))
    })

    test('refuses an invalid behaviour with a message naming the field', async () => {
      await assert.rejects(endpoint.setBehaviour({ fail: { times: -1 } }), /behaviour\.fail\.times/)
      await assert.rejects(endpoint.setBehaviour({ secrets: ['plain'] }), /behaviour\.secrets\[0\]/)
      await assert.rejects(endpoint.setBehaviour({ retries: 3 } as never), /behaviour\.retries is unknown/)
    })
  })
}

test('startFunctionsFramework and startWorkerd stop their runtimes when the test ends', async (t) => {
  const pids: number[] = []
  await t.test('inner', async (inner) => {
    const [framework, worker] = await Promise.all([startFunctionsFramework(inner), startWorkerd(inner)])
    pids.push(framework.pid, worker.pid)
    assert.equal((await fetch(`${framework.url}/__health`)).status, 200)
    assert.equal((await fetch(`${worker.url}/__health`)).status, 200)
  })
  for (const pid of pids) assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' })
})

test('a runtime that does not come up in time fails naming the runtime and the wait', async () => {
  await assert.rejects(
    launchWorkerd({ startupTimeoutMs: 1 }),
    /workerd did not answer .* within 1 ms.*its log/s,
  )
})

test('a start with an invalid behaviour fails with the message naming the field', async () => {
  await assert.rejects(
    launchFunctionsFramework({ behaviour: { slow: { ms: 'soon' } } as never }),
    /behaviour\.slow\.ms/,
  )
})

test('a runtime that exits during startup fails at once with its log tail', async (t) => {
  const taken = createServer()
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
  t.after(() => taken.close())
  const port = (taken.address() as AddressInfo).port
  await assert.rejects(
    launchWorkerd({ port }),
    /workerd exited during startup \(exit code \d+\); its log:\n.*address/is,
  )
})

test('runtimes left running by a process that exits are killed with it, config directory and all', async (t) => {
  const script = fileURLToPath(new URL('../../fixtures/functions/abandoned-runtime.ts', import.meta.url))
  const scratch = await mkdtemp(join(tmpdir(), 'abandoned-'))
  t.after(() => rm(scratch, { recursive: true, force: true }))
  const { stdout } = await run(process.execPath, ['--conditions=event-backbone-source', script], {
    timeout: 30_000,
    env: { ...process.env, TMPDIR: scratch },
  })
  const pids = JSON.parse(stdout) as number[]
  assert.equal(pids.length, 2)
  for (const pid of pids) assert.ok(await ended(pid), `runtime ${pid} outlived the process that started it`)
  assert.deepEqual(await readdir(scratch), [], "workerd's config directory went with it")
})

test('waitFor names what arrived when too few deliveries come in time', async (t) => {
  const endpoint = await startWorkerd(t)
  await deliver(endpoint, HTTP.binary(event({ id: 'only-one' })) as Message)
  await assert.rejects(endpoint.waitFor(2, { timeoutMs: 100 }), /1 of 2 matching deliveries .* only-one→200/)
})

for (const runtime of ['functions-framework', 'workerd'] as const) {
  test(`the ${runtime} hello function answers 204 to any request, for the throughput bench`, async (t) => {
    const hello = await startHelloFunction({ runtime })
    t.after(() => hello.stop())
    const response = await fetch(`${hello.url}/anything`, { method: 'POST', body: '{}' })
    assert.equal(response.status, 204)
    assert.equal(hello.runtime, runtime)
  })
}
