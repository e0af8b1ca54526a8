import { defineError } from './backbone-error.ts'

/* Consumer group inspection and offset resets (libs/groups, `backbone groups`, the dlq console). */
export const GroupNotFoundError = defineError(
  'GroupNotFoundError',
  'EB_GROUP_NOT_FOUND',
  'the consumer group does not exist',
  false,
  404,
)
export const GroupActiveError = defineError(
  'GroupActiveError',
  'EB_GROUP_ACTIVE',
  'the consumer group has live members, so its offsets cannot be reset',
  true,
  409,
)
export const ResetTargetError = defineError(
  'ResetTargetError',
  'EB_RESET_TARGET',
  'the offset reset target is invalid',
  false,
  400,
)
