// Property-based bad requests (fast-check) against the ingest gateway and the dead-letter console's write endpoints: every answer a 4xx with a JSON body naming the problem, no 5xx, both alive, no catalog topic's end offset moved.
import { randomUUID } from 'node:crypto'
import { catalogEntries, eventTypes } from '@event-backbone/catalog'
import fc from 'fast-check'
import { sampleEvents } from '../test/helpers/sample-events.ts'
import { ChaosCluster } from './lib/cluster.ts'
import { report, say, smoke } from './lib/scenario.ts'

const scenario = 'http-fuzz'
const log = (line: string) => say(scenario, line)
const started = Date.now()
const runs = smoke ? 150 : 2_500

interface FuzzRequest {
  readonly target: 'gateway' | 'console'
  readonly path: string
  readonly headers: Record<string, string>
  readonly body: string | Uint8Array
}

const token = fc.stringMatching(/^[A-Za-z0-9._~+/-]{0,40}$/)
const headerName = fc.stringMatching(/^x-[a-z0-9-]{1,20}$/)
const headerValue = fc.stringMatching(/^[ -~]{0,60}$/)
const contentType = fc.oneof(
  fc.constant('application/json'),
  fc.constant('application/json; charset=utf-8'),
  fc.constant('text/plain'),
  fc.constant('application/x-www-form-urlencoded'),
  fc.constant('application/octet-stream'),
  fc.stringMatching(/^[a-z]{1,10}\/[a-z+.-]{1,15}$/),
)
const jsonText = fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value) ?? 'null')
const typeName = fc.oneof(fc.constantFrom(...eventTypes()), fc.stringMatching(/^[A-Za-z0-9_.%-]{1,30}$/))

/** A valid event of the type with something wrong: never valid, since an unknown field is always refused. */
const brokenEvent = (eventType: string) =>
  fc
    .record({
      replace: fc.option(fc.tuple(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }))),
      drop: fc.option(fc.constantFrom('eventId', 'occurredAt', 'source', 'paymentId', 'uploadId')),
      extra: fc.string({ minLength: 1, maxLength: 10 }),
      extraValue: fc.jsonValue({ maxDepth: 1 }),
    })
    .map(({ replace, drop, extra, extraValue }) => {
      const base = { ...((sampleEvents as Record<string, object>)[eventType] ?? {}) } as Record<
        string,
        unknown
      >
      base['eventId'] = randomUUID()
      if (replace) base[replace[0]] = replace[1]
      if (drop) delete base[drop]
      base[`zz_unknown_${extra}`] = extraValue
      return JSON.stringify(base)
    })

const gatewayRequest = (apiKey: string) =>
  fc
    .record({
      eventType: typeName,
      batch: fc.boolean(),
      auth: fc.oneof(
        fc.constant(`Bearer ${apiKey}`),
        fc.constant(`Bearer ${apiKey}`),
        token.map((value) => `Bearer ${value}`),
        token,
        fc.constant(''),
      ),
      contentType,
      extraHeaders: fc.dictionary(headerName, headerValue, { maxKeys: 3 }),
      bodyKind: fc.constantFrom('broken', 'json', 'text', 'bytes', 'brokenBatch'),
      seed: fc.nat(),
    })
    .chain((shape) =>
      (shape.bodyKind === 'broken'
        ? brokenEvent(shape.eventType)
        : shape.bodyKind === 'brokenBatch'
          ? fc
              .array(brokenEvent(shape.eventType), { minLength: 1, maxLength: 3 })
              .map((items) => `[${items.join(',')}]`)
          : shape.bodyKind === 'json'
            ? jsonText.filter((text) => text !== '[]')
            : shape.bodyKind === 'text'
              ? fc.string({ maxLength: 200 })
              : fc.uint8Array({ maxLength: 200 })
      ).map(
        (body): FuzzRequest => ({
          target: 'gateway',
          path: `/v1/events/${shape.eventType}${shape.batch ? '/batch' : ''}`,
          headers: {
            ...shape.extraHeaders,
            'content-type': shape.contentType,
            ...(shape.auth ? { authorization: shape.auth } : {}),
          },
          body,
        }),
      ),
    )

const consoleRequest = fc
  .record({
    path: fc.oneof(
      fc.constant('/api/replays'),
      fc
        .tuple(fc.stringMatching(/^[A-Za-z0-9-]{1,36}$/), fc.constantFrom('pause', 'resume', 'cancel'))
        .map(([id, action]) => `/api/replays/${id}/${action}`),
    ),
    auth: fc.oneof(
      token.map((value) => `Bearer wrong-${value}`),
      fc.constant(''),
      token,
    ),
    contentType,
    body: jsonText,
  })
  .map(
    ({ path, auth, contentType: type, body }): FuzzRequest => ({
      target: 'console',
      path,
      headers: { 'content-type': type, ...(auth ? { authorization: auth } : {}) },
      body,
    }),
  )

const cluster = await ChaosCluster.start(['ingest-gateway', 'dlq-console'])
const problems: string[] = []
try {
  log(`cluster up (${Math.round((Date.now() - started) / 1000)} s)`)
  const admin = cluster.kafka().admin()
  await admin.connect()
  const topics = catalogEntries().map(([, entry]) => entry.topic)
  const endOffsets = async () => {
    const ends: Record<string, string> = {}
    for (const topic of topics) {
      const offsets = await admin.fetchTopicOffsets(topic)
      for (const partition of offsets) ends[`${topic}/${partition.partition}`] = partition.high
    }
    return ends
  }
  const before = await endOffsets()
  const requests = [
    ...fc.sample(gatewayRequest(cluster.apiKey), Math.round(runs * 0.8)),
    ...fc.sample(consoleRequest, Math.round(runs * 0.2)),
  ]
  const statuses = new Map<number, number>()
  const bad: string[] = []
  for (const request of requests) {
    const base = cluster.url(request.target === 'gateway' ? 'ingest-gateway' : 'dlq-console')
    let status = 0
    let text = ''
    try {
      const response = await fetch(`${base}${request.path}`, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(10_000),
      })
      status = response.status
      text = await response.text()
    } catch (error) {
      bad.push(`${request.target} ${request.path}: no answer (${(error as Error).message})`)
      continue
    }
    statuses.set(status, (statuses.get(status) ?? 0) + 1)
    let named = false
    try {
      const body = JSON.parse(text) as Record<string, unknown>
      named = ['message', 'detail', 'title', 'error'].some(
        (field) => typeof body[field] === 'string' && (body[field] as string).length > 0,
      )
    } catch {
      named = false
    }
    if (status < 400 || status >= 500 || !named) {
      bad.push(
        `${request.target} POST ${request.path} [${request.headers['content-type']}] → ${status} ${text.slice(0, 160)}`,
      )
    }
  }
  const after = await endOffsets()
  await admin.disconnect()
  const moved = Object.keys(after).filter((key) => after[key] !== before[key])
  const alive = cluster.isRunning('ingest-gateway') && cluster.isRunning('dlq-console')
  if (bad.length > 0)
    problems.push(`${bad.length} answers not a named 4xx, for example: ${bad.slice(0, 3).join(' | ')}`)
  if (moved.length > 0) problems.push(`end offsets moved on ${moved.slice(0, 5).join(', ')}`)
  if (!alive) problems.push('a fuzzed process died')
  for (const example of bad.slice(0, 10)) log(example)
  report({
    scenario,
    problems,
    seconds: Math.round((Date.now() - started) / 1000),
    figures: {
      requests: requests.length,
      gatewayRequests: requests.filter((request) => request.target === 'gateway').length,
      consoleRequests: requests.filter((request) => request.target === 'console').length,
      statuses: [...statuses]
        .sort(([a], [b]) => a - b)
        .map(([code, count]) => `${code}×${count}`)
        .join(' '),
      not4xxWithNamedProblem: bad.length,
      http5xx: [...statuses].filter(([code]) => code >= 500).reduce((sum, [, count]) => sum + count, 0),
      endOffsetsMoved: moved.length,
      processesAlive: alive,
    },
  })
} finally {
  await cluster.stop()
}
process.exit(0)
