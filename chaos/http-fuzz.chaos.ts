// Property-based bad requests (fast-check) against the ingest gateway, the dead-letter console's write endpoints and the schema registry's: every answer a 4xx with a JSON body naming the problem (the registry may also accept what happens to be valid), no 5xx, all alive, no catalog topic's end offset moved; the fuzz has its own rate limits so requests reach the parsers, and the report counts per endpoint how many did.
import { randomUUID } from 'node:crypto'
import { catalogEntries, eventTypes } from '@event-backbone/catalog'
import fc from 'fast-check'
import { registryService } from '#libs/stack'
import { sampleEvents } from '../test/helpers/sample-events.ts'
import { ChaosCluster } from './lib/cluster.ts'
import { report, say, smoke } from './lib/scenario.ts'

const scenario = 'http-fuzz'
const log = (line: string) => say(scenario, line)
const started = Date.now()
const runs = smoke ? 150 : 2_500

interface FuzzRequest {
  readonly target: 'gateway' | 'console' | 'registry'
  /** The route template, for the per-endpoint figures. */
  readonly endpoint: string
  readonly method?: string
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
          endpoint: `POST /v1/events/:eventType${shape.batch ? '/batch' : ''}`,
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
      endpoint: path === '/api/replays' ? 'POST /api/replays' : 'POST /api/replays/:id/:action',
      path,
      headers: { 'content-type': type, ...(auth ? { authorization: auth } : {}) },
      body,
    }),
  )

/** Avro-ish schema text: valid types, named types without names, broken JSON, huge docs. */
const avroText = fc.oneof(
  fc.constantFrom(
    '"int"',
    '"string"',
    '{"type":"record","fields":[]}',
    '{"type":"enum","symbols":["A"]}',
    '{',
  ),
  fc
    .record({
      type: fc.constantFrom('record', 'enum', 'fixed', 'array', 'map', 'error', 'int', 'nope'),
      name: fc.option(fc.stringMatching(/^[A-Za-z_.0-9-]{0,12}$/), { nil: undefined }),
      fields: fc.option(
        fc.array(fc.record({ name: fc.string({ maxLength: 6 }), type: fc.jsonValue({ maxDepth: 2 }) }), {
          maxLength: 3,
        }),
        { nil: undefined },
      ),
      symbols: fc.option(fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }), { nil: undefined }),
      size: fc.option(fc.integer({ min: -2, max: 4 }), { nil: undefined }),
      items: fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }),
    })
    .map((schema) => JSON.stringify(schema)),
  fc.string({ maxLength: 80 }),
)
const registryBody = fc.oneof(
  {
    weight: 12,
    arbitrary: fc
      .record(
        {
          schema: fc.oneof(avroText, fc.jsonValue({ maxDepth: 2 })),
          schemaType: fc.oneof(
            fc.constantFrom('AVRO', 'JSON', 'PROTOBUF', 'AVROO', ''),
            fc.jsonValue({ maxDepth: 1 }),
          ),
          references: fc.jsonValue({ maxDepth: 3 }),
          metadata: fc.jsonValue({ maxDepth: 3 }),
          ruleSet: fc.oneof(
            fc.jsonValue({ maxDepth: 3 }),
            fc.record({
              domainRules: fc.array(
                fc.dictionary(
                  fc.constantFrom('name', 'type', 'mode', 'kind', 'expr'),
                  fc.jsonValue({ maxDepth: 1 }),
                ),
                { maxLength: 2 },
              ),
            }),
          ),
          compatibility: fc.oneof(
            fc.constantFrom('BACKWARD', 'NONE', 'full', 'x'),
            fc.jsonValue({ maxDepth: 1 }),
          ),
          mode: fc.oneof(fc.constantFrom('READWRITE', 'IMPORT', 'bogus'), fc.jsonValue({ maxDepth: 1 })),
          id: fc.jsonValue({ maxDepth: 1 }),
          version: fc.jsonValue({ maxDepth: 1 }),
        },
        { requiredKeys: [] },
      )
      .map((body) => JSON.stringify(body)),
  },
  { weight: 3, arbitrary: jsonText },
  { weight: 3, arbitrary: fc.string({ maxLength: 200 }) },
  // Over the registry's 1 MiB body limit: 413 before parsing.
  { weight: 1, arbitrary: fc.constant(JSON.stringify({ schema: `"${'x'.repeat(1_100_000)}"` })) },
)
const registryRoutes = [
  ['POST', '/subjects/:subject/versions'],
  ['POST', '/subjects/:subject'],
  ['POST', '/compatibility/subjects/:subject/versions/latest'],
  ['POST', '/compatibility/subjects/:subject/versions/:version'],
  ['PUT', '/config/:subject'],
  ['PUT', '/mode/:subject'],
] as const
const registryRequest = fc
  .record({
    route: fc.constantFrom(...registryRoutes),
    subject: fc.stringMatching(/^fuzz-[A-Za-z0-9._%:-]{0,20}$/),
    version: fc.oneof(fc.constantFrom('1', 'latest', '-1', '0', 'x', '99999999999'), fc.nat().map(String)),
    contentType: fc.oneof(
      fc.constant('application/vnd.schemaregistry.v1+json'),
      fc.constant('application/vnd.schemaregistry.v1+json'),
      fc.constant('application/json'),
      contentType,
    ),
    body: registryBody,
  })
  .map(
    ({ route: [method, template], subject, version, contentType: type, body }): FuzzRequest => ({
      target: 'registry',
      endpoint: `${method} ${template}`,
      method,
      path: template
        .replace(':subject', encodeURIComponent(subject))
        .replace(':version', encodeURIComponent(version)),
      headers: { 'content-type': type },
      body,
    }),
  )

/**
 * Whether a request reached its endpoint's validation (body parsed, fields checked): an answer
 * from authentication (401/403), rate limiting (429), routing (404 from an unknown route) or
 * content negotiation (406/413/415) did not.
 */
function reachedValidation(target: FuzzRequest['target'], status: number, text: string): boolean {
  if ([401, 403, 406, 413, 415, 429].includes(status)) return false
  if (target === 'registry' && status === 404) {
    // Registry 404s with a 404xx code come from a lookup after the body was validated.
    try {
      return String((JSON.parse(text) as { error_code?: unknown }).error_code).startsWith('404')
    } catch {
      return false
    }
  }
  return status !== 404
}

// The fuzz's own limits: with the defaults (5 failed authentications/s per address) 1,607 of
// 2,500 requests were answered 429 before any parsing. The console requests never hold the
// operator token (they probe authentication), so none of them reaches validation.
const cluster = await ChaosCluster.start(['ingest-gateway', 'dlq-console'], {
  env: {
    'ingest-gateway': {
      INGEST_RATE_LIMIT: '100000/s burst 100000',
      INGEST_AUTH_FAILURE_LIMIT: '100000/s burst 100000',
    },
    'dlq-console': { DLQ_AUTH_FAILURE_LIMIT: '100000/s burst 100000' },
  },
})
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
    ...fc.sample(gatewayRequest(cluster.apiKey), Math.round(runs * 0.6)),
    ...fc.sample(consoleRequest, Math.round(runs * 0.15)),
    ...fc.sample(registryRequest, Math.round(runs * 0.25)),
  ]
  const statuses = new Map<number, number>()
  const statusesByTarget = new Map<string, Map<number, number>>()
  const endpoints = new Map<string, { requests: number; reachedValidation: number }>()
  const bad: string[] = []
  const service = { gateway: 'ingest-gateway', console: 'dlq-console', registry: registryService.name }
  for (const request of requests) {
    const base = cluster.url(service[request.target])
    let status = 0
    let text = ''
    try {
      const response = await fetch(`${base}${request.path}`, {
        method: request.method ?? 'POST',
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
    const targetStatuses = statusesByTarget.get(request.target) ?? new Map<number, number>()
    targetStatuses.set(status, (targetStatuses.get(status) ?? 0) + 1)
    statusesByTarget.set(request.target, targetStatuses)
    const figures = endpoints.get(`${request.target} ${request.endpoint}`) ?? {
      requests: 0,
      reachedValidation: 0,
    }
    figures.requests++
    if (reachedValidation(request.target, status, text)) figures.reachedValidation++
    endpoints.set(`${request.target} ${request.endpoint}`, figures)
    let named = false
    try {
      const body = JSON.parse(text) as Record<string, unknown>
      named = ['message', 'detail', 'title', 'error'].some(
        (field) => typeof body[field] === 'string' && (body[field] as string).length > 0,
      )
      // Confluent's clients need a numeric error_code beside the message.
      if (request.target === 'registry' && status >= 400) named &&= typeof body['error_code'] === 'number'
    } catch {
      named = false
    }
    // Whatever happens to be a valid schema or setting is accepted by the registry: 200 is fine there.
    const accepted = request.target === 'registry' && status === 200
    if (!accepted && (status < 400 || status >= 500 || !named)) {
      bad.push(
        `${request.target} ${request.method ?? 'POST'} ${request.path.slice(0, 80)} [${request.headers['content-type']}] → ${status} ${text.slice(0, 160)}`,
      )
    }
  }
  const after = await endOffsets()
  await admin.disconnect()
  const moved = Object.keys(after).filter((key) => after[key] !== before[key])
  const alive =
    cluster.isRunning('ingest-gateway') &&
    cluster.isRunning('dlq-console') &&
    cluster.isRunning(registryService.name)
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
      registryRequests: requests.filter((request) => request.target === 'registry').length,
      reachedValidation: [...endpoints]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([endpoint, count]) => `${endpoint}: ${count.reachedValidation}/${count.requests}`)
        .join(' · '),
      statuses: [...statuses]
        .sort(([a], [b]) => a - b)
        .map(([code, count]) => `${code}×${count}`)
        .join(' '),
      not4xxWithNamedProblem: bad.length,
      statusesByTarget: [...statusesByTarget]
        .map(
          ([target, counts]) =>
            `${target} ${[...counts]
              .sort(([a], [b]) => a - b)
              .map(([code, count]) => `${code}×${count}`)
              .join(' ')}`,
        )
        .join(' · '),
      http5xx: [...statuses].filter(([code]) => code >= 500).reduce((sum, [, count]) => sum + count, 0),
      endOffsetsMoved: moved.length,
      processesAlive: alive,
    },
  })
} finally {
  await cluster.stop()
}
process.exit(0)
