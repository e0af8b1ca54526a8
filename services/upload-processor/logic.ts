import type { FileUploadCompleted, UploadProcessed } from '@event-backbone/catalog'
import { uuidFrom } from '@event-backbone/client'
import { UploadRejectedError, UploadTransientError } from '@event-backbone/errors'

export interface UploadConfig {
  readonly maxSizeBytes: number
}

/** Content types the simulated processor can handle; anything else is REJECTED (a result, not a failure). */
const supported = [/^image\//, /^application\/pdf$/, /^text\//, /^video\//]

/**
 * The `simulate` tag drives failures deterministically for the demo and tests:
 * `transient:N` fails the first N attempts (counted across retry tiers) with a retriable error,
 * `permanent` fails with a non-retriable one (dead-lettered at once).
 */
export function simulatedFailure(upload: FileUploadCompleted, attempt: number): Error | undefined {
  const simulate = upload.tags['simulate']?.trim()
  if (simulate === undefined) return undefined
  if (simulate === 'permanent') {
    return new UploadRejectedError(`upload ${upload.uploadId} cannot be processed (simulated)`, {
      context: { uploadId: upload.uploadId },
    })
  }
  const transient = /^transient:(\d{1,3})$/.exec(simulate)
  if (transient && attempt <= Number(transient[1])) {
    return new UploadTransientError(
      `upload ${upload.uploadId}: storage timed out (simulated, attempt ${attempt} of ${transient[1]} failing)`,
      { context: { uploadId: upload.uploadId } },
    )
  }
  return undefined
}

/** Simulated processing of one upload: throws on (simulated) failure, else returns the result event. */
export function processUpload(
  upload: FileUploadCompleted,
  attempt: number,
  config: UploadConfig,
  now: Date,
): UploadProcessed {
  const failure = simulatedFailure(upload, attempt)
  if (failure) throw failure
  const base = {
    eventId: uuidFrom('upload-processed', upload.eventId),
    occurredAt: now,
    source: 'upload-processor',
    uploadId: upload.uploadId,
    sourceEventId: upload.eventId,
    detectedContentType: upload.contentType,
  }
  const reason = rejection(upload, config)
  if (reason !== undefined) {
    return { ...base, outcome: 'REJECTED', thumbnails: [], metadata: {}, rejectionReason: reason }
  }
  const previews = upload.contentType.startsWith('image/') || upload.contentType === 'application/pdf'
  return {
    ...base,
    outcome: 'PROCESSED',
    thumbnails: previews
      ? [256, 1024].map((width) => ({
          storageUri: `${upload.storageUri}.thumb-${width}.png`,
          widthPx: width,
          heightPx: Math.round(width * 0.75),
        }))
      : [],
    metadata: {
      sizeBytes: String(upload.sizeBytes),
      checksumSha256: upload.checksumSha256,
      attempts: String(attempt),
    },
    rejectionReason: null,
  }
}

function rejection(upload: FileUploadCompleted, config: UploadConfig): string | undefined {
  if (!supported.some((pattern) => pattern.test(upload.contentType))) {
    return `unsupported content type ${upload.contentType}`
  }
  if (upload.sizeBytes > config.maxSizeBytes) {
    return `file of ${upload.sizeBytes} bytes exceeds the limit of ${config.maxSizeBytes}`
  }
  return undefined
}
