// Proves, in a real headless Chromium, that the replay job's Pause, Resume and Cancel buttons steer a throttled replay (paused it makes no progress, cancelled it stops, both audited under the operator's name), and that the jobs table resumes a job another process left stopped.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { JobManager, planReplay } from '#libs/dlq'
import { openDeadLetterTopic, testBrowser, watchedPage } from '../../helpers/browser.ts'
import { deadLetters, testReplayTopics } from '../../helpers/dlq.ts'
import { aliceToken, callConsole, testConsole } from '../../helpers/dlq-console.ts'
import { testKafka, waitFor } from '../../helpers/kafka.ts'

test('the Pause, Resume and Cancel buttons steer a running replay job', async (t) => {
  const kafka = testKafka()
  const topics = await testReplayTopics(t, kafka)
  const fixture = await deadLetters(
    t,
    kafka,
    Array.from({ length: 300 }, (_, i) => ({
      key: `order-${i}`,
      value: Buffer.from(`v${i}`),
      errorClass: 'LedgerError',
      message: 'account closed',
    })),
  )
  const { http } = await testConsole(t, kafka, { topics, replayChunkSize: 10 })
  const browser = await testBrowser(t)
  const { page, problems } = await watchedPage(browser)
  const row = await openDeadLetterTopic(page, http.url, fixture.dlt, aliceToken, '#dead-letters')
  await row.click()
  await page.locator('tr.record').first().waitFor({ timeout: 30_000 })
  await page.fill('#rate', '40')
  await page.click('#dry-run')
  await waitFor(async () => !(await page.locator('#replay').isDisabled()), { description: 'the dry-run' })
  await page.click('#replay')
  const replayed = async () => Number((await page.locator('#job-replayed').textContent()) ?? '0')
  const status = async () => (await page.locator('#job-status').textContent()) ?? ''
  await waitFor(async () => (await replayed()) >= 20, { description: 'some progress', timeoutMs: 30_000 })

  await page.click('#job-pause')
  await waitFor(async () => (await status()) === 'paused', { description: 'the job paused' })
  const atPause = await replayed()
  // At 40 records/s a running job replays ~60 more in 1.5 s; a paused one none.
  await page.waitForTimeout(1_500)
  assert.equal(await replayed(), atPause)
  assert.equal(await status(), 'paused')

  await page.click('#job-resume')
  await waitFor(async () => (await replayed()) > atPause, { description: 'progress after resuming' })
  await page.click('#job-cancel')
  await waitFor(async () => (await status()) === 'cancelled', { description: 'the job cancelled' })
  const atCancel = await replayed()
  assert.ok(atCancel < 300, `cancelled after ${atCancel}`)
  const jobId = (await page.locator('#job-id').textContent()) ?? ''
  const audit = await callConsole(http.url, 'GET', `/api/audit?job=${jobId}`)
  const events = audit.body.map((a: { event: string; by: string }) => `${a.event}:${a.by}`)
  for (const expected of ['paused:alice', 'resumed:alice', 'cancelled:alice'])
    assert.ok(events.includes(expected), `${expected} in ${events.join(', ')}`)
  const cancelledRow = page.locator(`#jobs tr[data-job="${jobId}"]`)
  await cancelledRow.waitFor()
  assert.equal(await cancelledRow.locator('.job-status').textContent(), 'cancelled')
  assert.equal(await cancelledRow.locator('button.job-cancel').isDisabled(), true)

  // A job another process (the CLI) started and left stopped: the jobs table resumes it here.
  const elsewhere = await deadLetters(
    t,
    kafka,
    Array.from({ length: 30 }, (_, i) => ({
      key: `other-${i}`,
      value: Buffer.from(`o${i}`),
      errorClass: 'LedgerError',
      message: 'account closed',
    })),
  )
  const spec = await planReplay(kafka, { topic: elsewhere.dlt, ratePerSecond: 20, by: 'dave' })
  const cli = new JobManager({ kafka, topics, chunkSize: 5 })
  cli.start({ spec })
  await waitFor(async () => ((await cli.get(spec.id))?.counts.replayed ?? 0) >= 5, {
    description: 'CLI progress',
  })
  await cli.stop()
  const otherRow = page.locator(`#jobs tr[data-job="${spec.id}"]`)
  await page.click('#jobs-refresh')
  await otherRow.waitFor()
  assert.match((await otherRow.locator('.job-status').textContent()) ?? '', /not in this console/)
  assert.equal(await otherRow.locator('button.job-pause').isDisabled(), true)
  await otherRow.locator('button.job-resume').click()
  await waitFor(
    async () => {
      await page.click('#jobs-refresh')
      await page.waitForTimeout(300)
      return (await otherRow.locator('.job-status').textContent()) === 'done'
    },
    { description: 'the resumed job done', timeoutMs: 30_000 },
  )
  assert.equal(await otherRow.locator('td').nth(4).textContent(), '30')
  assert.deepEqual(problems, [])
})
