// Proves the upload processor emits UploadProcessed after transient failures retried in process and through a retry tier, and dead-letters a permanent failure with its original bytes.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import type { FileUploadCompleted } from '@event-backbone/catalog'
import { uploadSubscriptions } from '../../../services/upload-processor/handler.ts'
import { collect, header } from '../../helpers/consumer.ts'
import { uniqueName, waitFor } from '../../helpers/kafka.ts'
import { sampleEvents } from '../../helpers/sample-events.ts'
import { outputs, serviceFixture, startService } from './helpers.ts'

function upload(tags: Record<string, string>): FileUploadCompleted {
  return { ...sampleEvents.FileUploadCompleted, eventId: randomUUID(), uploadId: randomUUID(), tags }
}

test('a transient failure is retried until processed and a permanent one lands in the dead-letter topic', async (t) => {
  const fixture = await serviceFixture(t)
  const groupId = uniqueName('uploads')
  const flaky = upload({ simulate: 'transient:3' })
  const broken = upload({ simulate: 'permanent' })
  const fine = upload({})
  const ours = new Set([flaky.uploadId, broken.uploadId, fine.uploadId])
  const processed = await outputs(t, fixture, 'UploadProcessed', 'uploads-processed', (e) =>
    ours.has(e.uploadId),
  )
  for (const event of [flaky, broken, fine]) await fixture.publisher.publish('FileUploadCompleted', event)

  // 1 attempt + 2 in-process retries fail; the 4th attempt, from the 1 s retry tier, succeeds.
  const service = await startService(t, fixture, {
    name: 'upload-processor',
    subscriptions: uploadSubscriptions,
    env: { CONSUMER_GROUP: groupId, UPLOAD_RETRY_TIERS: '1s,2s', UPLOAD_RETRY_INITIAL_DELAY: '20ms' },
  })
  const [subscription] = service.group.subscriptions
  assert.equal(subscription?.retryTopics.length, 2)
  const deadLetters = await collect(t, fixture.kafka, [subscription!.deadLetterTopic])

  const results = await waitFor(
    async () => {
      const events = await processed()
      return events.length >= 2 && events
    },
    { description: 'the flaky and the fine upload processed', timeoutMs: 30_000 },
  )
  const byUpload = new Map(results.map((event) => [event.uploadId, event]))
  assert.equal(byUpload.get(fine.uploadId)?.outcome, 'PROCESSED')
  assert.equal(byUpload.get(flaky.uploadId)?.outcome, 'PROCESSED')
  assert.equal(byUpload.get(flaky.uploadId)?.metadata['attempts'], '4')
  assert.equal(byUpload.get(flaky.uploadId)?.sourceEventId, flaky.eventId)
  assert.equal(byUpload.has(broken.uploadId), false)

  const dead = await waitFor(
    () => deadLetters.find((record) => record.message.key?.toString() === broken.uploadId),
    { description: 'the permanent failure in the dead-letter topic' },
  )
  assert.equal(header(dead.message.headers, 'eb.error.code'), 'EB_UPLOAD_REJECTED')
  assert.equal(header(dead.message.headers, 'eb.stage'), 'handle')
  assert.equal(header(dead.message.headers, 'eb.attempts'), '1')
  const decoded = await fixture.serde.decode('FileUploadCompleted', dead.message.value!)
  assert.equal(decoded.eventId, broken.eventId, 'the dead-letter record still decodes to the original event')
})
