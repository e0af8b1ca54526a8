import type { TestContext } from 'node:test'
import { type Browser, chromium, type Page } from 'playwright-core'

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
