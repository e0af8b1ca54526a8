import { defineError } from './backbone-error.ts'

/* Dead-letter inspection and replay (libs/dlq, the `backbone dlq` CLI and the dlq console). */
export const DlqTopicNotFoundError = defineError(
  'DlqTopicNotFoundError',
  'EB_DLQ_TOPIC_NOT_FOUND',
  'the dead-letter topic does not exist',
  false,
  404,
)
export const DlqSelectionError = defineError(
  'DlqSelectionError',
  'EB_DLQ_SELECTION',
  'the record selection is invalid',
  false,
  400,
)
export const DlqTargetError = defineError(
  'DlqTargetError',
  'EB_DLQ_TARGET',
  'the replay target cannot be resolved or does not exist',
  false,
  400,
)
export const DlqJobNotFoundError = defineError(
  'DlqJobNotFoundError',
  'EB_DLQ_JOB_NOT_FOUND',
  'no replay job with this id',
  false,
  404,
)
export const DlqJobStateError = defineError(
  'DlqJobStateError',
  'EB_DLQ_JOB_STATE',
  'the replay job cannot do this in its current state',
  false,
  409,
)
export const DlqReadTimeoutError = defineError(
  'DlqReadTimeoutError',
  'EB_DLQ_READ_TIMEOUT',
  'reading a dead-letter topic made no progress before the deadline',
  true,
  504,
)
