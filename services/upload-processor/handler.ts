import { emitEvent, onEvent } from '@event-backbone/client'
import { envInt, type ServiceDeps } from '#libs/service'
import { processUpload } from './logic.ts'
import { uploadPolicy } from './policy.ts'

export function uploadSubscriptions({ env, serde, logger, metrics }: ServiceDeps) {
  const config = { maxSizeBytes: envInt(env, 'UPLOAD_MAX_SIZE_BYTES', 100 * 1024 * 1024) }
  return [
    onEvent(
      serde,
      'FileUploadCompleted',
      async (upload, ctx) => {
        const result = processUpload(upload, ctx.attempt, config, new Date())
        await emitEvent(ctx, serde, 'UploadProcessed', result)
        metrics.emitted('UploadProcessed')
        metrics.outcome(result.outcome.toLowerCase())
        logger.info(
          { uploadId: upload.uploadId, outcome: result.outcome, attempt: ctx.attempt },
          'upload processed',
        )
      },
      uploadPolicy(env),
    ),
  ]
}
