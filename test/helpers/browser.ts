import type { TestContext } from 'node:test'
import { type Browser, chromium, type Locator, type Page } from 'playwright-core'
import { waitFor } from './kafka.ts'

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Debian's chromium (scripts/ensure-chromium.sh), closed when the test ends. */
export async function testBrowser(t: TestContext): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs })
  t.after(() => browser.close())
  return browser
}

/** A page whose JavaScript errors and console errors are collected in `problems` (asserted empty). */
export async function watchedPage(
  browser: Browser,
  options: { viewport?: { width: number; height: number } } = {},
): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage(options.viewport ? { viewport: options.viewport } : {})
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text())
  })
  return { page, problems }
}

/**
 * Opens the console filtered to one dead-letter topic, signs in with `token` and returns the
 * topic's row once the list shows it: a broker's topic list may lag a topic created a moment ago,
 * so it refreshes until then.
 */
export async function openDeadLetterTopic(
  page: Page,
  consoleUrl: string,
  dlt: string,
  token: string,
  hash = '',
): Promise<Locator> {
  await page.goto(`${consoleUrl}/?filter=${encodeURIComponent(dlt)}${hash}`)
  await page.fill('#token', token)
  await page.click('#save-token')
  const row = page.locator(`tr[data-topic="${dlt}"]`)
  await waitFor(
    async () => {
      if ((await row.count()) > 0) return true
      await page.click('#refresh')
      await row.waitFor({ timeout: 2_000 }).catch(() => {})
      return (await row.count()) > 0
    },
    { description: 'the dead-letter topic in the list' },
  )
  return row
}
