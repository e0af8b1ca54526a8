// Proves, in a real headless Chromium, that the topic browser finds a record by key and by offset, shows it decoded from Avro, and narrows the records with a field filter.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { testBrowser, watchedPage } from '../../helpers/browser.ts'
import { produce } from '../../helpers/consumer.ts'
import { order, orderSerde } from '../../helpers/dlq.ts'
import { testConsole } from '../../helpers/dlq-console.ts'
import { createTestTopics, testKafka, uniqueName } from '../../helpers/kafka.ts'

test('the topic browser finds a record by key and by offset, decodes it, and filters by field', async (t) => {
  const kafka = testKafka()
  const { serde, schemaId } = await orderSerde(t)
  const topic = uniqueName('orders')
  await createTestTopics(t, [{ topic }], kafka)
  await produce(
    t,
    kafka,
    topic,
    Array.from({ length: 5 }, (_, i) => ({ key: `order-${i}`, value: order(`e-${i}`, i * 100, schemaId) })),
  )
  const { http } = await testConsole(t, kafka, { serde })
  const browser = await testBrowser(t)
  const { page, problems } = await watchedPage(browser)
  await page.goto(`${http.url}/#browser`)
  // The catalog's topics are offered in the topic field.
  await page.locator('#b-topics option[value="payments"]').waitFor({ state: 'attached' })
  await page.fill('#b-topic', topic)
  const rows = page.locator('#b-records tr.b-record')
  const clearSummary = () =>
    page.locator('#b-summary').evaluate((summary) => {
      summary.textContent = ''
    })
  const read = async () => {
    await page.click('#b-read')
    await page
      .locator('#b-summary')
      .filter({ hasText: /record\(s\) shown/ })
      .waitFor({ timeout: 30_000 })
  }

  await page.selectOption('#b-mode', 'key')
  await page.fill('#b-key', 'order-3')
  await read()
  assert.equal(await rows.count(), 1)
  assert.match((await rows.first().textContent()) ?? '', /"eventId":"e-3".*"amount":300/)
  assert.match((await page.locator('#b-summary').textContent()) ?? '', /read from offsets 0:0–5/)

  await clearSummary()
  await page.selectOption('#b-mode', 'offset')
  await page.fill('#b-partition', '0')
  await page.fill('#b-offset', '1')
  await page.fill('#b-limit', '1')
  await read()
  assert.equal(await rows.count(), 1)
  assert.equal(await rows.first().getAttribute('data-offset'), '0:1')
  await rows.first().click()
  const detail = (await page.locator('#b-detail').textContent()) ?? ''
  assert.match(detail, /"kind": "avro"/)
  assert.match(detail, /"eventId": "e-1"/)
  assert.equal(await page.locator('#b-next').isVisible(), true)

  await clearSummary()
  await page.selectOption('#b-mode', 'latest')
  await page.fill('#b-partition', '')
  await page.fill('#b-limit', '')
  await page.fill('#b-where', 'amount>=300')
  await read()
  assert.deepEqual(
    (await rows.evaluateAll((all) => all.map((row) => row.getAttribute('data-offset')))).sort(),
    ['0:3', '0:4'],
  )
  assert.deepEqual(problems, [])
})
