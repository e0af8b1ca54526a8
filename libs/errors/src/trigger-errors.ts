import { defineError } from './backbone-error.ts'

/* Errors of function triggers (libs/triggers, services/function-trigger). */
export const TriggerConfigError = defineError(
  'TriggerConfigError',
  'EB_TRIGGER_CONFIG',
  'the triggers file is invalid; the message names the line and the field',
  false,
)
export const DeliveryRejectedError = defineError(
  'DeliveryRejectedError',
  'EB_TRIGGER_REJECTED',
  'the function answered with a 4xx other than 408 and 429: the delivery is dead-lettered at once',
  false,
)
export const DeliveryFailedError = defineError(
  'DeliveryFailedError',
  'EB_TRIGGER_DELIVERY',
  'the function answered 408, 429 or 5xx, timed out or could not be reached: the delivery is retried',
  true,
)
