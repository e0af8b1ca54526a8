import type { IncomingHttpHeaders } from 'node:http'
import { type CloudEventV1, CONSTANTS, HTTP, ValidationError } from 'cloudevents'
import { type Problem, problem } from '../http-errors.ts'

export type Envelope =
  | { readonly ok: true; readonly event: CloudEventV1<unknown> }
  | { readonly ok: false; readonly problem: Problem }

const REQUIRED = ['specversion', 'id', 'type', 'source'] as const
const SPEC_VERSION = '1.0'
// RFC 3339 `date-time`: seconds are required and the offset is Z or ±hh:mm.
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/
// "CloudEvents attribute names MUST consist of lower-case letters ('a' to 'z') or digits ('0' to '9')".
const ATTRIBUTE_NAME = /^[a-z0-9]+$/
const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json$/

/** A media type without its parameters, lower-cased: `application/json; charset=utf-8` → `application/json`. */
export function mediaType(value: string | undefined): string | undefined {
  return value === undefined ? undefined : (value.split(';', 1)[0] ?? '').trim().toLowerCase()
}

export function isJsonMediaType(value: string | undefined): boolean {
  const type = mediaType(value)
  return type !== undefined && JSON_MEDIA_TYPE.test(type)
}

function invalid(message: string, details: Record<string, unknown> = {}): Envelope {
  return { ok: false, problem: problem(400, 'invalid_cloudevent', message, details) }
}

/**
 * The checks the SDK does not make, run before it sees the event: its parser gives a missing `id`
 * a random UUID, a missing `specversion` 1.0, a missing or unparseable `time` the current time,
 * and never checks that data is JSON. Here each of those is the client's error, named.
 */
function attributeProblem(
  attributes: Readonly<Record<string, unknown>>,
  name: (attribute: string) => string,
): Envelope | undefined {
  for (const attribute of REQUIRED) {
    const value = attributes[attribute]
    if (value === undefined || value === null || value === '') {
      return invalid(
        `the CloudEvent has no ${name(attribute)}; ${REQUIRED.map(name).join(', ')} are required`,
        {
          attribute,
        },
      )
    }
    if (typeof value !== 'string') return invalid(`${name(attribute)} must be a string`, { attribute })
  }
  if (attributes['specversion'] !== SPEC_VERSION) {
    return {
      ok: false,
      problem: problem(
        400,
        'unsupported_specversion',
        `${name('specversion')} ${JSON.stringify(attributes['specversion'])} is not supported; the gateway takes CloudEvents ${SPEC_VERSION}`,
        { attribute: 'specversion' },
      ),
    }
  }
  const time = attributes['time']
  if (
    time !== undefined &&
    (typeof time !== 'string' || !RFC3339.test(time) || Number.isNaN(Date.parse(time)))
  ) {
    return invalid(`${name('time')} ${JSON.stringify(time)} is not an RFC 3339 date-time`, {
      attribute: 'time',
    })
  }
  return undefined
}

function notJson(contentType: unknown): Envelope {
  return {
    ok: false,
    problem: problem(
      415,
      'unsupported_datacontenttype',
      `datacontenttype ${JSON.stringify(contentType)} is not JSON; the gateway takes JSON data (application/json)`,
      { attribute: 'datacontenttype' },
    ),
  }
}

/** The SDK's own validation (formats of source, time, dataschema; types) as a 400 naming the attributes. */
function validated(parse: () => CloudEventV1<unknown> | CloudEventV1<unknown>[]): Envelope {
  try {
    const parsed = parse()
    if (Array.isArray(parsed)) return invalid('expected one CloudEvent, got a batch')
    const event = parsed as CloudEventV1<unknown> & { validate(): boolean }
    event.validate()
    return { ok: true, event }
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error
    const reasons = (error.errors as Array<{ instancePath?: string; message?: string } | string>).map(
      (reason) =>
        typeof reason === 'string'
          ? reason
          : `${(reason.instancePath ?? '').replace(/^\//, '') || 'event'} ${reason.message ?? 'is invalid'}`,
    )
    const detail = reasons.length > 0 ? reasons.join('; ') : error.message
    return invalid(`the CloudEvent is not valid: ${detail}`, { reasons })
  }
}

/**
 * Binary mode: attributes in `ce-*` headers, the data is the (JSON) body, its content type the
 * `datacontenttype`. The body was parsed by the route as JSON.
 */
export function binaryEnvelope(headers: IncomingHttpHeaders, body: unknown): Envelope {
  const attributes: Record<string, unknown> = {}
  for (const attribute of [...REQUIRED, 'time']) {
    const value = headers[`${CONSTANTS.EXTENSIONS_PREFIX}${attribute}`]
    if (value !== undefined) attributes[attribute] = value
  }
  const checked = attributeProblem(attributes, (attribute) => `header ce-${attribute}`)
  if (
    checked &&
    !checked.ok &&
    checked.problem.error === 'invalid_cloudevent' &&
    attributes['id'] === undefined
  ) {
    const hint = ' (binary mode; a structured event is sent as Content-Type: application/cloudevents+json)'
    return { ok: false, problem: { ...checked.problem, message: checked.problem.message + hint } }
  }
  if (checked) return checked
  if (!isJsonMediaType(headers['content-type'])) return notJson(headers['content-type'])
  // The SDK maps the content type by its exact value: hand it the bare media type.
  const sdkHeaders = { ...headers, 'content-type': mediaType(headers['content-type'])! }
  return validated(() => HTTP.toEvent({ headers: sdkHeaders, body }) as CloudEventV1<unknown>)
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Structured mode (and one item of a batch): the whole event is one JSON object. */
export function structuredEnvelope(body: unknown): Envelope {
  if (!isPlainObject(body)) return invalid('a structured CloudEvent is a JSON object')
  const checked = attributeProblem(body, (attribute) => `attribute ${attribute}`)
  if (checked) return checked
  for (const name of Object.keys(body)) {
    if (!ATTRIBUTE_NAME.test(name) && name !== 'data_base64') {
      return invalid(
        `attribute name ${JSON.stringify(name)} is not valid: names are lower-case letters and digits`,
        {
          attribute: name,
        },
      )
    }
  }
  if ('data_base64' in body) return notJson('data_base64 (binary data)')
  const contentType = body['datacontenttype']
  if (contentType !== undefined && (typeof contentType !== 'string' || !isJsonMediaType(contentType))) {
    return notJson(contentType)
  }
  return validated(
    () =>
      HTTP.toEvent({ headers: { 'content-type': CONSTANTS.MIME_CE_JSON }, body }) as CloudEventV1<unknown>,
  )
}
