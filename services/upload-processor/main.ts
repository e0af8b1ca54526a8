// upload-processor: uploads → simulated processing → UploadProcessed (at-least-once, retry tiers, DLT).
import { runConsumerService } from '#libs/service'
import { uploadSubscriptions } from './handler.ts'

await runConsumerService({ name: 'upload-processor', subscriptions: uploadSubscriptions })
