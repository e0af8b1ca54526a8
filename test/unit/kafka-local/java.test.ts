import assert from 'node:assert/strict'
import { test } from 'node:test'
import { JavaNotFoundError } from '@event-backbone/errors'
import { checkJava, javaExecutable, parseJavaMajor } from '#libs/kafka-local'

test('reads the Java major version from modern and legacy version strings', () => {
  assert.equal(parseJavaMajor('openjdk version "17.0.15" 2025-04-15'), 17)
  assert.equal(parseJavaMajor('openjdk version "21" 2023-09-19'), 21)
  assert.equal(parseJavaMajor('java version "1.8.0_392"'), 8)
  assert.equal(parseJavaMajor('no version here'), undefined)
})

test('prefers JAVA_HOME over PATH', () => {
  assert.equal(javaExecutable({ JAVA_HOME: '/opt/jdk' }), '/opt/jdk/bin/java')
  assert.equal(javaExecutable({}), 'java')
})

test('fails with a clear error when Java is missing', async () => {
  await assert.rejects(checkJava('/nonexistent/bin/java'), (error: unknown) => {
    assert.ok(error instanceof JavaNotFoundError)
    assert.match(error.message, /Java 17 or newer is needed/)
    return true
  })
})
