import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Where the console spec writes its screenshots (gitignored; CI keeps them as artifacts). */
export const ARTIFACTS = join(__dirname, '..', '..', '..', 'test-artifacts', 'console');

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
// Without the background-networking flags chromium dials out at start, which a closed network refuses.
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** Headless Debian chromium on a fresh, empty profile; every console error and failed request is kept for the failure message. */
export class ConsoleBrowser {
  readonly problems: string[] = [];

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    private readonly profile: string,
  ) {
    page.on('pageerror', (err) => this.problems.push(`page error: ${err.message}`));
    // an API answering 4xx is logged by chromium as a failed load: that is the API's answer, not a fault of the page
    page.on('console', (msg) => void (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource') && this.problems.push(`console: ${msg.text()}`)));
  }

  static async launch(): Promise<ConsoleBrowser> {
    const profile = mkdtempSync(join(tmpdir(), 'console-chromium-'));
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(15_000);
    const page = context.pages()[0] ?? (await context.newPage());
    return new ConsoleBrowser(context, page, profile);
  }

  async screenshot(name: string): Promise<void> {
    mkdirSync(ARTIFACTS, { recursive: true });
    await this.page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
    rmSync(this.profile, { recursive: true, force: true });
  }
}
