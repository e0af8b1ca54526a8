import assert from 'node:assert/strict'
import { test } from 'node:test'
import { TriggerConfigError } from '@event-backbone/errors'
import { parseTriggers, triggerDefaults } from '#libs/triggers'

const valid = `triggers:
  - name: alerts
    events: [SecurityAlert]
    url: http://127.0.0.1:9300/alerts
    format: structured
    filter:
      exact: { data.userId: user-1 }
      prefix: { subject: user- }
    ordering: none
    concurrency: 4
    timeout: 2s
    retry: { attempts: 1, initialDelay: 100ms, maxDelay: 5s }
    retryTopics: [5s]
    signing: { secretEnv: ALERTS_SECRET }
    headers: { authorization: ALERTS_AUTH }
    cost: { memoryMb: 256, pricePerMillionInvocations: 0.4 }
`

function problems(text: string): string {
  try {
    parseTriggers(text, 'triggers.yaml')
  } catch (error) {
    assert.ok(error instanceof TriggerConfigError)
    return (error as Error).message
  }
  assert.fail('the file was accepted')
}

test('a valid triggers file gives each trigger its fields, durations in milliseconds and defaults for the rest', () => {
  const [trigger, ...rest] = parseTriggers(valid).triggers
  assert.equal(rest.length, 0)
  assert.deepEqual(trigger, {
    name: 'alerts',
    events: ['SecurityAlert'],
    url: 'http://127.0.0.1:9300/alerts',
    format: 'structured',
    filter: { exact: { 'data.userId': 'user-1' }, prefix: { subject: 'user-' } },
    ordering: 'none',
    concurrency: 4,
    timeoutMs: 2_000,
    startFrom: 'latest',
    retry: { attempts: 1, initialDelayMs: 100, multiplier: 2, maxDelayMs: 5_000, jitter: 0.2 },
    retryTopicsMs: [5_000],
    deadLetter: true,
    secretEnv: 'ALERTS_SECRET',
    headersFromEnv: { authorization: 'ALERTS_AUTH' },
    cost: {
      memoryMb: 256,
      pricePerMillionInvocations: 0.4,
      pricePerGbSecond: triggerDefaults.cost.pricePerGbSecond,
    },
  })
})

test('a JSON triggers file is read too, since JSON is YAML', () => {
  const json = JSON.stringify({ triggers: [{ name: 'a', events: 'UserLogin', url: 'https://fn.example/x' }] })
  assert.deepEqual(parseTriggers(json, 'triggers.json').triggers[0]?.events, ['UserLogin'])
})

test('an unknown event type is reported with its line and field', () => {
  const text = valid.replace('events: [SecurityAlert]', 'events: [SecurityAlert, NoSuchEvent]')
  assert.match(
    problems(text),
    /triggers\.yaml:3: triggers\[0\]\.events\[1\] "NoSuchEvent" is not an event type of the catalog/,
  )
})

test('every problem of the file is reported at once, each on its own line number', () => {
  const text = `triggers:
  - name: Bad_Name
    events: [UserLogin]
    url: ftp://example.com/
    timeout: soon
    retry:
      attempts: -1
    colour: blue
  - name: ok
    events: [UserLogin]
    url: http://127.0.0.1/
    headers: { ce-id: X }
`
  const message = problems(text)
  assert.match(message, /triggers\.yaml:2: triggers\[0\]\.name needs to be lower-case letters/)
  assert.match(
    message,
    /triggers\.yaml:4: triggers\[0\]\.url needs to be an http:\/\/ or https:\/\/ URL, got "ftp:\/\/example.com\/"/,
  )
  assert.match(message, /triggers\.yaml:5: triggers\[0\]\.timeout needs to be a duration/)
  assert.match(
    message,
    /triggers\.yaml:7: triggers\[0\]\.retry\.attempts needs to be a whole number from 0 to 100, got -1/,
  )
  assert.match(message, /triggers\.yaml:8: triggers\[0\]\.colour is not a known trigger field/)
  assert.match(
    message,
    /triggers\.yaml:12: triggers\[1\]\.headers\.ce-id is not a header name a trigger may set/,
  )
})

test('a secret or header value written into the file is refused: the file names variables only', () => {
  const text = valid.replace('secretEnv: ALERTS_SECRET', 'secretEnv: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')
  assert.match(
    problems(text),
    /triggers\.yaml:14: triggers\[0\]\.signing\.secretEnv needs to name an environment variable/,
  )
})

test('two triggers with one name are refused on the second one’s line', () => {
  const one = '  - { name: a, events: [UserLogin], url: "http://127.0.0.1/" }\n'
  assert.match(
    problems(`triggers:\n${one}${one}`),
    /triggers\.yaml:3: triggers\[1\]\.name repeats the name of triggers\[0\]/,
  )
})

test('YAML syntax errors name their line', () => {
  assert.match(problems('triggers:\n  - name: a\n    url: [unclosed\n'), /triggers\.yaml:\d+: /)
  assert.match(problems('triggers:\n  - name: a\n  name: b\n'), /triggers\.yaml:3: /)
})

test('a variable reference in a URL is the environment variable’s value; an unset one is reported on the url line', () => {
  const text = 'triggers:\n  - name: a\n    events: UserLogin\n    url: http://$' + '{FN_HOST}:9106/x\n'
  assert.equal(
    parseTriggers(text, 't.yaml', { FN_HOST: 'fn.local' }).triggers[0]?.url,
    'http://fn.local:9106/x',
  )
  assert.throws(
    () => parseTriggers(text, 't.yaml', {}),
    /t\.yaml:4: triggers\[0\]\.url uses \$\{FN_HOST\}, which is not set/,
  )
})
