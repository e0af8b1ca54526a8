// Proves, in a real headless Chromium, that the console shows a lagging consumer group (state, members, lag per partition) with its lag chart growing, and a dead-letter topic's depth trend.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { testBrowser, watchedPage } from '../../helpers/browser.ts'
import { produce } from '../../helpers/consumer.ts'
import { aliceToken, testConsole } from '../../helpers/dlq-console.ts'
import { createTestTopics, testAdmin, testKafka, uniqueName, waitFor } from '../../helpers/kafka.ts'

test('the groups page shows a lagging group with its members and lag chart, and the dead-letter page its depth trend', async (t) => {
  const kafka = testKafka()
  const group = uniqueName('ledger')
  const topic = uniqueName('orders')
  const dlt = `${group}.${topic}.dlt`
  await createTestTopics(t, [{ topic, numPartitions: 2 }, { topic: dlt }], kafka)
  await produce(t, kafka, topic, [
    { value: 'a', partition: 0 },
    { value: 'b', partition: 0 },
    { value: 'c', partition: 0 },
    { value: 'd', partition: 1 },
  ])
  await produce(t, kafka, dlt, [{ value: 'x' }, { value: 'y' }])
  const admin = await testAdmin(t, kafka)
  await admin.setOffsets({
    groupId: group,
    topic,
    partitions: [
      { partition: 0, offset: '1' },
      { partition: 1, offset: '1' },
    ],
  })
  // A member that reads but never commits: the group stays Stable and its lag stays put.
  const member = testKafka({ clientId: 'ledger-member' }).consumer({
    groupId: group,
    sessionTimeout: 10_000,
    heartbeatInterval: 500,
  })
  await member.connect()
  t.after(() => member.disconnect())
  let joined = false
  member.on(member.events.GROUP_JOIN, () => {
    joined = true
  })
  await member.subscribe({ topic })
  await member.run({ autoCommit: false, eachMessage: async () => {} })
  await waitFor(() => joined, { description: 'the member joined' })

  const { http } = await testConsole(t, kafka, { metricsIntervalMs: 300 })
  const browser = await testBrowser(t)
  const { page, problems } = await watchedPage(browser)
  await page.goto(`${http.url}/#groups`)
  await page.fill('#token', aliceToken)
  await page.click('#save-token')
  const row = page.locator(`tr[data-group="${group}"]`)
  await waitFor(
    async () => {
      await page.click('#groups-refresh')
      await row.waitFor({ timeout: 3_000 }).catch(() => {})
      return (await row.count()) > 0 && /Stable/.test((await row.textContent()) ?? '')
    },
    { description: 'the group, stable, in the list', timeoutMs: 40_000 },
  )
  await row.click()
  await page.locator('#group-members tr').first().waitFor()
  assert.match((await page.locator('#group-members').textContent()) ?? '', /ledger-member/)
  assert.match((await page.locator('#group-members').textContent()) ?? '', new RegExp(`${topic}\\[0,1\\]`))
  assert.match(
    (await page.locator(`#group-partitions tr[data-partition="${topic}[0]"]`).textContent()) ?? '',
    /2$/,
  )
  const line = page.locator(`#lag-chart polyline[data-series="${topic}[0]"]`)
  await waitFor(
    async () => {
      await row.click()
      return (await line.count()) > 0 && (await line.getAttribute('data-last')) === '2'
    },
    { description: 'partition 0 lag 2 on the chart' },
  )
  await produce(t, kafka, topic, [{ value: 'e', partition: 0 }])
  await waitFor(
    async () => {
      await row.click()
      await page.waitForTimeout(200)
      return (await line.getAttribute('data-last')) === '3'
    },
    { description: 'the chart following the growing lag', timeoutMs: 20_000 },
  )
  // Several samples: the chart is a line over time, not one point.
  assert.ok(((await line.getAttribute('points')) ?? '').split(' ').length >= 2)

  await page.goto(`${http.url}/?filter=${encodeURIComponent(dlt)}#dead-letters`)
  const topicRow = page.locator(`tr[data-topic="${dlt}"]`)
  await waitFor(
    async () => {
      await page.click('#refresh')
      await page.waitForTimeout(200)
      return (await topicRow.locator('svg.sparkline polyline').count()) > 0
    },
    { description: 'the depth trend in the list' },
  )
  await topicRow.click()
  const depth = page.locator('#depth-chart polyline[data-series="depth"]')
  await depth.waitFor({ state: 'attached' })
  assert.equal(await depth.getAttribute('data-last'), '2')
  assert.equal(await page.locator('#age-chart polyline').count(), 1)
  assert.deepEqual(problems, [])
})
