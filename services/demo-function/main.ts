// demo-function: the local function `npm start` delivers SecurityAlert events to through a trigger
// (deploy/triggers.yaml). It checks the Standard Webhooks signature, deduplicates by `ce-id` as a
// function behind an at-least-once trigger must, and counts what it received (GET /received).
import { Counter } from 'prom-client'
import { createMetricsRegistry } from '#libs/observability'
import { runService } from '#libs/service'
import { secretsFrom, verifySignature } from './verify.ts'

await runService({ name: 'demo-function', defaultPort: 9106 }, async (kit) => {
  const logger = kit.logger
  const secrets = secretsFrom(kit.env['DEMO_FUNCTION_SECRET'])
  const registry = createMetricsRegistry()
  const events = new Counter({
    name: 'demo_function_events_total',
    help: 'CloudEvents the demo function received, by outcome (accepted, duplicate, bad_signature)',
    labelNames: ['outcome'],
    registers: [registry],
  })
  // Ids already handled; bounded so a long-running demo does not grow without limit.
  const seen = new Set<string>()
  const counts = { accepted: 0, duplicates: 0, badSignatures: 0 }
  const http = await kit.serve({
    metrics: registry,
    readiness: [],
    setup: (app) => {
      // The signature covers the exact bytes: keep the body as text.
      app.addContentTypeParser(
        ['application/json', 'application/cloudevents+json'],
        { parseAs: 'string' },
        (_, body, done) => done(null, body),
      )
      app.post('/', async (request, reply) => {
        const body = String(request.body ?? '')
        if (secrets.length > 0 && !verifySignature(secrets, request.headers, body)) {
          counts.badSignatures += 1
          events.inc({ outcome: 'bad_signature' })
          return reply.code(401).send({ error: 'bad_signature', message: 'bad or missing webhook-signature' })
        }
        const id = String(request.headers['ce-id'] ?? request.headers['webhook-id'] ?? '')
        if (seen.has(id)) {
          counts.duplicates += 1
          events.inc({ outcome: 'duplicate' })
          return { duplicate: true }
        }
        if (seen.size >= 10_000) seen.delete(seen.values().next().value as string)
        seen.add(id)
        counts.accepted += 1
        events.inc({ outcome: 'accepted' })
        const alert = JSON.parse(body) as { userId?: string; failureCount?: number; severity?: string }
        logger.warn(
          { id, userId: alert.userId, failures: alert.failureCount, severity: alert.severity },
          'security alert received',
        )
        return { accepted: true }
      })
      app.get('/received', async () => counts)
    },
  })
  logger.info({ url: http.url, signed: secrets.length > 0 }, 'demo function listening')
  kit.stopOnSignals([{ name: 'http', stop: () => http.close() }])
})
