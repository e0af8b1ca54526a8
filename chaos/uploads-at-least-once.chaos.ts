// At-least-once: uploads through the gateway into upload-processor, SIGKILLed K times and the broker restarted once; nothing accepted is lost, duplicates are counted.
import { randomUUID } from 'node:crypto'
import { sampleEvents } from '../test/helpers/sample-events.ts'
import { runKillStream } from './lib/kill-stream.ts'

await runKillStream({
  scenario: 'uploads-at-least-once',
  service: 'upload-processor',
  inputType: 'FileUploadCompleted',
  makeEvent: () => {
    const eventId = randomUUID()
    const { simulate: _simulate, ...tags } = sampleEvents.FileUploadCompleted.tags
    return {
      key: eventId,
      body: {
        ...sampleEvents.FileUploadCompleted,
        eventId,
        uploadId: randomUUID(),
        occurredAt: new Date().toISOString(),
        tags,
      },
    }
  },
  outputTopic: 'uploads-processed',
  outputType: 'UploadProcessed',
  keyOfOutput: (value) => String(value['sourceEventId']),
  duplicatesFail: false,
})
process.exit(0)
