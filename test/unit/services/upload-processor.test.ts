import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { FileUploadCompleted } from '@event-backbone/catalog'
import { processUpload } from '../../../services/upload-processor/logic.ts'
import { uploadPolicy } from '../../../services/upload-processor/policy.ts'
import { sampleEvents } from '../../helpers/sample-events.ts'

const config = { maxSizeBytes: 10_000_000 }
const now = new Date('2026-11-27T12:00:00Z')
const upload = (tags: Record<string, string> = {}, extra: Partial<FileUploadCompleted> = {}) => ({
  ...sampleEvents.FileUploadCompleted,
  tags,
  ...extra,
})

test('a supported upload is PROCESSED with thumbnails and answers its source event', () => {
  const result = processUpload(upload(), 1, config, now)
  assert.equal(result.outcome, 'PROCESSED')
  assert.equal(result.sourceEventId, sampleEvents.FileUploadCompleted.eventId)
  assert.equal(result.uploadId, sampleEvents.FileUploadCompleted.uploadId)
  assert.equal(result.thumbnails.length, 2)
  assert.equal(result.rejectionReason, null)
})

test('simulate transient:2 fails attempts 1 and 2 with a retriable error and succeeds on attempt 3', () => {
  for (const attempt of [1, 2]) {
    assert.throws(
      () => processUpload(upload({ simulate: 'transient:2' }), attempt, config, now),
      (error: { code?: string; retriable?: boolean }) =>
        error.code === 'EB_UPLOAD_TRANSIENT' && error.retriable === true,
    )
  }
  assert.equal(processUpload(upload({ simulate: 'transient:2' }), 3, config, now).metadata['attempts'], '3')
})

test('simulate permanent fails with a non-retriable error on every attempt', () => {
  assert.throws(
    () => processUpload(upload({ simulate: 'permanent' }), 5, config, now),
    (error: { code?: string; retriable?: boolean }) =>
      error.code === 'EB_UPLOAD_REJECTED' && error.retriable === false,
  )
})

test('an unsupported content type or an oversized file is a REJECTED result, not a failure', () => {
  const exe = processUpload(upload({}, { contentType: 'application/x-msdownload' }), 1, config, now)
  assert.equal(exe.outcome, 'REJECTED')
  assert.match(exe.rejectionReason ?? '', /unsupported content type/)
  const huge = processUpload(upload({}, { sizeBytes: 20_000_000 }), 1, config, now)
  assert.equal(huge.outcome, 'REJECTED')
  assert.match(huge.rejectionReason ?? '', /exceeds the limit/)
})

test('the output event id is the same for every processing of one input event', () => {
  assert.equal(
    processUpload(upload(), 1, config, now).eventId,
    processUpload(upload(), 2, config, now).eventId,
  )
})

test('uploads run key-ordered, 64 in flight unless UPLOAD_MAX_IN_FLIGHT says otherwise', () => {
  const policy = uploadPolicy({})
  assert.equal(policy.ordering, 'key')
  assert.equal(policy.maxInFlight, 64)
  assert.equal(policy.handlerTimeout, undefined)
  const tuned = uploadPolicy({ UPLOAD_MAX_IN_FLIGHT: '8', UPLOAD_HANDLER_TIMEOUT: '30s' })
  assert.equal(tuned.maxInFlight, 8)
  assert.equal(tuned.handlerTimeout, 30_000)
  assert.throws(
    () => uploadPolicy({ UPLOAD_MAX_IN_FLIGHT: '0' }),
    /UPLOAD_MAX_IN_FLIGHT needs to be a whole number from 1/,
  )
})
