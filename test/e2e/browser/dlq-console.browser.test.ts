// Proves, in a real headless Chromium, that an operator can browse dead-letter topics, filter, inspect a record, dry-run, replay and watch the job finish.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { openDeadLetterTopic, testBrowser, watchedPage } from '../../helpers/browser.ts'
import { deadLetters, testReplayTopics } from '../../helpers/dlq.ts'
import { aliceToken, testConsole } from '../../helpers/dlq-console.ts'
import { testAdmin, testKafka, waitFor } from '../../helpers/kafka.ts'

test('an operator filters, inspects, dry-runs and replays dead letters in the console and sees the job finish', async (t) => {
  const kafka = testKafka()
  const topics = await testReplayTopics(t, kafka)
  const fixture = await deadLetters(t, kafka, [
    { key: 'order-1', value: Buffer.from('one'), errorClass: 'LedgerError', message: 'account closed' },
    { key: 'order-2', value: Buffer.from('two'), errorClass: 'TypeError', message: 'x is undefined' },
    { key: 'order-3', value: Buffer.from('three'), errorClass: 'LedgerError', message: 'limit reached' },
  ])
  const { http } = await testConsole(t, kafka, { topics })
  const { page, problems } = await watchedPage(await testBrowser(t))
  const row = await openDeadLetterTopic(page, http.url, fixture.dlt, aliceToken)
  assert.match((await row.textContent()) ?? '', /LedgerError: 2/)
  await row.click()
  await page.locator('tr.record').first().waitFor({ timeout: 30_000 })
  assert.equal(await page.locator('tr.record').count(), 3)
  await page.fill('#f-error-class', 'LedgerError')
  await page.click('#apply')
  await waitFor(async () => (await page.locator('tr.record').count()) === 2, {
    description: 'two filtered records',
  })
  await page.locator('tr.record').first().click()
  const detail = (await page.locator('#detail').textContent()) ?? ''
  assert.match(detail, /"eb.error.message": "account closed"/)
  assert.match(detail, /"text": "one"/)
  await page.click('#dry-run')
  await waitFor(async () => /Dry-run/.test((await page.locator('#dry-run-result').textContent()) ?? ''), {
    description: 'the dry-run report',
  })
  assert.match(
    (await page.locator('#dry-run-result').textContent()) ?? '',
    /2 of 3 record\(s\) would be replayed/,
  )
  await page.click('#replay')
  await waitFor(async () => ((await page.locator('#job-status').textContent()) ?? '') === 'done', {
    timeoutMs: 60_000,
    description: 'the job to finish',
  })
  assert.equal((await page.locator('#job-replayed').textContent()) ?? '', '2')
  assert.equal(
    await page
      .locator('#job-progress')
      .evaluate((progress) => (progress as unknown as { value: number }).value),
    1,
  )
  const admin = await testAdmin(t, kafka)
  assert.notEqual((await admin.fetchTopicOffsets(fixture.retry))[0]!.high, '0')
  assert.deepEqual(problems, [])
})
