import assert from 'node:assert/strict'
import { test } from 'node:test'
import * as errors from '@event-backbone/errors'
import Fastify from 'fastify'
import kafkajs from 'kafkajs'
import { registerServiceHttpBasics, serviceFastifyOptions } from '#libs/service'

type ErrorClass = errors.BackboneErrorClass

const catalogue = Object.entries(errors).filter(
  (entry): entry is [string, ErrorClass] =>
    typeof entry[1] === 'function' && typeof (entry[1] as Partial<ErrorClass>).code === 'string',
)

/** A fastify app with the kit's basics whose one route throws what `thrown` gives. */
async function appThrowing(thrown: () => unknown) {
  const app = Fastify({ ...serviceFastifyOptions(), logger: false })
  registerServiceHttpBasics(app, { retryAfterSeconds: 7 })
  app.get('/boom', async () => {
    throw thrown()
  })
  app.post('/echo', async (request) => request.body)
  await app.ready()
  return app
}

test('every catalogue error is answered with its own HTTP status and the one body shape', async () => {
  assert.ok(catalogue.length > 50, 'the whole catalogue is covered')
  for (const [name, ErrorClass] of catalogue) {
    const app = await appThrowing(() => new ErrorClass(`${name} happened`))
    const response = await app.inject('/boom')
    assert.equal(response.statusCode, ErrorClass.httpStatus, name)
    const requestId = response.headers['x-request-id']
    assert.match(String(requestId), /^[0-9a-f-]{36}$/, `${name}: a UUID request id`)
    assert.deepEqual(
      response.json(),
      { error: ErrorClass.code, message: `${name} happened`, requestId, code: ErrorClass.code },
      name,
    )
    assert.equal(
      response.headers['retry-after'],
      ErrorClass.httpStatus === 503 ? '7' : undefined,
      `${name}: Retry-After with every 503`,
    )
    await app.close()
  }
})

test('the catalogue states the statuses clients rely on', () => {
  assert.equal(errors.DlqJobNotFoundError.httpStatus, 404)
  assert.equal(errors.GroupActiveError.httpStatus, 409)
  assert.equal(errors.PublishFailedError.httpStatus, 503, 'retriable without a status: 503')
  assert.equal(errors.PublishRejectedError.httpStatus, 500, 'not retriable without a status: 500')
  assert.equal(errors.RecordTooLargeError.httpStatus, 413)
})

test("fastify's refusals keep their 4xx in the one shape", async () => {
  const app = await appThrowing(() => new Error('unused'))
  const media = await app.inject({
    method: 'POST',
    url: '/echo',
    headers: { 'content-type': 'text/csv' },
    payload: 'a,b',
  })
  assert.equal(media.statusCode, 415)
  assert.equal(media.json().error, 'unsupported_media_type')
  const json = await app.inject({
    method: 'POST',
    url: '/echo',
    headers: { 'content-type': 'application/json' },
    payload: '{',
  })
  assert.equal(json.statusCode, 400)
  assert.equal(json.json().error, 'invalid_json')
  assert.equal(json.json().requestId, json.headers['x-request-id'])
})

test('an unknown route is a 404 in the one shape, naming the route', async () => {
  const app = await appThrowing(() => new Error('unused'))
  const response = await app.inject('/nowhere?x=1')
  assert.equal(response.statusCode, 404)
  assert.deepEqual(response.json(), {
    error: 'not_found',
    message: 'no route for GET /nowhere',
    requestId: response.headers['x-request-id'],
  })
})

test('a kafkajs failure is 503 kafka_unavailable, and a bug is 500 without its message', async () => {
  const kafka = await appThrowing(() => new kafkajs.KafkaJSConnectionError('Connection timeout'))
  const unavailable = await kafka.inject('/boom')
  assert.equal(unavailable.statusCode, 503)
  assert.equal(unavailable.json().error, 'kafka_unavailable')
  assert.equal(unavailable.headers['retry-after'], '7')
  const bug = await appThrowing(() => new TypeError('cannot read secretThing of undefined'))
  const internal = await bug.inject('/boom')
  assert.equal(internal.statusCode, 500)
  assert.equal(internal.json().error, 'internal_error')
  assert.doesNotMatch(internal.body, /secretThing/)
})
