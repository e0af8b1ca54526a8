// Proves, in a real headless Chromium on a 375×740 screen, that every page of the console works without JavaScript errors, its main content never overflows sideways, and the navigation stays reachable.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { openDeadLetterTopic, testBrowser, watchedPage } from '../../helpers/browser.ts'
import { deadLetters, testReplayTopics } from '../../helpers/dlq.ts'
import { aliceToken, testConsole } from '../../helpers/dlq-console.ts'
import { testKafka } from '../../helpers/kafka.ts'

test('on a 375 px wide screen every page is usable, error-free and without sideways overflow', async (t) => {
  const kafka = testKafka()
  const topics = await testReplayTopics(t, kafka)
  const fixture = await deadLetters(t, kafka, [
    {
      key: 'a-rather-long-key-that-could-push-a-table-wider-than-the-screen-0123456789',
      value: Buffer.from('x'.repeat(400)),
      errorClass: 'LedgerError',
      message: 'an error message long enough to wrap several times on a narrow phone screen',
    },
  ])
  const { http } = await testConsole(t, kafka, { topics, metricsIntervalMs: 500 })
  const browser = await testBrowser(t)
  const { page, problems } = await watchedPage(browser, { viewport: { width: 375, height: 740 } })
  // Evaluated in the page: typed by hand, as the tests compile without the DOM library.
  type Box = { scrollWidth: number; clientWidth: number }
  const overflow = () =>
    page.evaluate(() => {
      const view = globalThis as unknown as {
        innerWidth: number
        document: { documentElement: Box; querySelector(selector: string): Box }
      }
      const main = view.document.querySelector('main')
      return {
        page: view.document.documentElement.scrollWidth - view.innerWidth,
        main: main.scrollWidth - main.clientWidth,
      }
    })
  const row = await openDeadLetterTopic(page, http.url, fixture.dlt, aliceToken)
  await row.click()
  await page.locator('tr.record').first().click()
  assert.deepEqual(await overflow(), { page: 0, main: 0 }, 'dead letters with a record open')

  for (const [link, section] of [
    ['Consumer groups', '#groups'],
    ['Topic browser', '#browser'],
    ['Dead letters', '#dead-letters'],
  ] as const) {
    const anchor = page.locator('#nav a', { hasText: link })
    assert.ok(await anchor.isVisible(), `${link} visible`)
    const box = await anchor.boundingBox()
    assert.ok(box && box.x >= 0 && box.x + box.width <= 375, `${link} inside the screen`)
    await anchor.click()
    await page.locator(section).waitFor({ state: 'visible' })
    if (section === '#groups') await page.locator('#group-list tr').first().waitFor({ timeout: 30_000 })
    if (section === '#browser') {
      await page.fill('#b-topic', fixture.dlt)
      await page.click('#b-read')
      await page.locator('#b-records tr').first().waitFor({ timeout: 30_000 })
    }
    assert.deepEqual(await overflow(), { page: 0, main: 0 }, `${link} page`)
  }
  assert.deepEqual(problems, [])
})
