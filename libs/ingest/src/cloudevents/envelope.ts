import type { IncomingHttpHeaders } from 'node:http'
import { CloudEvent, type CloudEventV1, CONSTANTS, ValidationError } from 'cloudevents'
import { type Problem, problem } from '../http-errors.ts'

export type Envelope =
  | { readonly ok: true; readonly event: CloudEventV1<unknown>; readonly timeGiven: boolean }
  | { readonly ok: false; readonly problem: Problem }

const REQUIRED = ['specversion', 'id', 'type', 'source'] as const
const CE_PREFIX = CONSTANTS.EXTENSIONS_PREFIX
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
 * The checks the SDK does not make, run before it sees the event: its CloudEvent gives a missing
 * `id` a random UUID, a missing `specversion` 1.0 and a missing `time` the current time (and its
 * `HTTP.toEvent` parser an unparseable `time` too), and never checks that data is JSON. Here each
 * of those is the client's error, named.
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

/**
 * The SDK's CloudEvent, built strictly: its constructor checks extension names and value types and
 * validates the attributes against the spec's JSON Schema (formats of source, time, dataschema);
 * its errors become a 400 naming the attributes.
 */
function validated(attributes: Record<string, unknown>): Envelope {
  try {
    // The SDK fills in a missing `time` with the current time: the mapping must know it did.
    return {
      ok: true,
      event: new CloudEvent<unknown>(attributes),
      timeGiven: attributes['time'] !== undefined,
    }
  } catch (error) {
    // ValidationError is a TypeError; the constructor throws plain TypeErrors for 0.3-only attributes.
    if (!(error instanceof TypeError)) throw error
    const list =
      error instanceof ValidationError
        ? (error.errors as Array<{ instancePath?: string; message?: string } | string>)
        : []
    const reasons = list.map((reason) =>
      typeof reason === 'string'
        ? reason
        : `${(reason.instancePath ?? '').replace(/^\//, '') || 'event'} ${reason.message ?? 'is invalid'}`,
    )
    const detail =
      reasons.length > 0 ? reasons.join('; ') : (error.message.split('\n', 1)[0] ?? error.message)
    return invalid(`the CloudEvent is not valid: ${detail}`, { reasons })
  }
}

/**
 * Binary mode: attributes in `ce-*` headers, the data is the (JSON) body, its content type the
 * `datacontenttype`. The body was parsed by the route as JSON.
 */
export function binaryEnvelope(headers: IncomingHttpHeaders, body: unknown): Envelope {
  // Every `ce-` header is an attribute (HTTP binding 3.1.3): the context attributes and extensions.
  const attributes: Record<string, unknown> = {}
  for (const name in headers) {
    if (!name.startsWith(CE_PREFIX)) continue
    const value = headers[name]
    attributes[name.slice(CE_PREFIX.length)] = Array.isArray(value) ? value[0] : value
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
  const contentType = headers['content-type']
  if (!isJsonMediaType(contentType)) return notJson(contentType)
  // "In the binary content mode, the value of the event data MUST be placed into the HTTP request
  // body as-is, with the datacontenttype attribute value declaring its media type" (3.1.1).
  return validated({ ...attributes, datacontenttype: mediaType(contentType), data: body })
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
  // The structured JSON format is the attributes and `data` in one object: what the SDK's CloudEvent takes.
  return validated(body)
}
