/**
 * `npm run screenshots`: the site's screens as readers see them, in light and dark, on a desktop and
 * on a 390×844 phone, for a reviewer to look at (not a test: nothing is compared). Writes PNGs to
 * `screenshots/` (git-ignored); `-- --docs` also writes small palette PNGs of the screens listed in
 * DOCS below to docs/screenshots/.
 *
 * It runs the demo (the site with the local Clerk stand-in, built into its own temporary folder) on
 * free loopback ports, or uses one already running (`-- --base-url http://127.0.0.1:4321`).
 * Signed-in screens sign in through Clerk's real sign-in form with the demo accounts.
 *
 *   --only <text>   only the screens whose name contains <text>
 *   --no-build      reuse the demo build from the last run
 */
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { chromiumLaunchOptions } from '../support/chromium.ts';
import { publishedSourceArticles } from '../support/articles.ts';
import { ROOT } from '../support/paths.ts';
import { DEMO_PASSWORD } from '@gatepost/clerk-standin';
import { demoBuildDir, freePort, startDemoSite, type DemoSite } from '../../tools/demo.ts';

const { values } = parseArgs({
  options: {
    'base-url': { type: 'string' },
    only: { type: 'string' },
    docs: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
  },
});

const OUT = join(ROOT, 'screenshots');
const DOCS_OUT = join(ROOT, 'docs/screenshots');

type Reader = 'anonymous' | 'member@' | 'team@' | 'editor@';
type Device = 'desktop' | 'phone';
type Scheme = 'light' | 'dark';

interface Screen {
  name: string;
  path: string;
  reader: Reader;
  /** Scrolled into view before the shot (else the top of the page). */
  focus?: string;
  /** Waited for before the shot (e.g. one of Clerk's components). */
  ready?: string;
}

const published = publishedSourceArticles();
const publicArticle = published.find((a) => a.access === 'public' && /third-party|system-font/.test(a.slug))!;
const premium = published.find((a) => a.access === 'premium')!;
const members = published.find((a) => a.access === 'members')!;
const longTitle = published.find((a) => a.slug === 'inside-a-third-party-script-audit') ?? premium;

const SCREENS: Screen[] = [
  { name: 'home', path: '/', reader: 'anonymous' },
  { name: 'article-public', path: `/articles/${publicArticle.slug}/`, reader: 'anonymous' },
  { name: 'article-end', path: `/articles/${publicArticle.slug}/`, reader: 'anonymous', focus: '[data-related]' },
  { name: 'article-long-title', path: `/members/${longTitle.slug}/`, reader: 'anonymous' },
  { name: 'paywall-premium', path: `/members/${premium.slug}/`, reader: 'anonymous', focus: '[data-paywall]' },
  { name: 'paywall-members', path: `/members/${members.slug}/`, reader: 'anonymous', focus: '[data-paywall]' },
  { name: 'paywall-upgrade', path: `/members/${premium.slug}/`, reader: 'member@', focus: '[data-paywall]' },
  { name: 'pricing', path: '/pricing/', reader: 'anonymous' },
  { name: 'pricing-signed-in', path: '/pricing/', reader: 'member@', ready: '.cl-pricingTable-root' },
  { name: 'sign-up', path: '/sign-up/', reader: 'anonymous', ready: '.cl-signUp-root' },
  { name: 'account', path: '/account/', reader: 'team@', ready: '.cl-userProfile-root' },
  { name: 'articles', path: '/articles/', reader: 'anonymous' },
  { name: 'editor-desk', path: '/editor/', reader: 'editor@', ready: '[data-desk]' },
  { name: 'not-found', path: '/no-such-page/', reader: 'anonymous' },
];

/** The screens committed under docs/screenshots (small palette PNGs). */
const DOCS = new Set([
  'paywall-premium-desktop-light',
  'paywall-premium-phone-dark',
  'pricing-desktop-light',
  'account-desktop-dark',
  'account-desktop-light',
  'article-public-phone-light',
  'article-end-desktop-light',
  'editor-desk-phone-light',
]);

const DEVICES: Record<Device, { viewport: { width: number; height: number }; isMobile: boolean }> = {
  desktop: { viewport: { width: 1280, height: 900 }, isMobile: false },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true },
};

async function signIn(page: Page, email: string) {
  await page.goto(`/sign-in/?redirect_url=${encodeURIComponent('/account/')}`);
  const card = page.locator('.cl-signIn-root');
  await card.getByLabel('Email address').fill(email);
  await card.getByRole('button', { name: 'Continue', exact: true }).click();
  await card.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await card.getByRole('button', { name: 'Continue', exact: true }).click();
  await page.waitForURL(/\/account\/?$/, { timeout: 30_000 });
}

async function contextFor(browser: Browser, baseURL: string, reader: Reader, device: Device, scheme: Scheme) {
  const context = await browser.newContext({
    baseURL,
    ...DEVICES[device],
    deviceScaleFactor: 1,
    colorScheme: scheme,
    reducedMotion: 'reduce',
  });
  if (reader !== 'anonymous') {
    const page = await context.newPage();
    await signIn(page, `${reader.slice(0, -1)}@gatepost.test`);
    await page.close();
  }
  return context;
}

async function shoot(context: BrowserContext, screen: Screen, file: string) {
  const page = await context.newPage();
  await page.goto(screen.path, { waitUntil: 'load' });
  if (screen.ready) await page.locator(screen.ready).first().waitFor({ timeout: 30_000 });
  // Let islands settle (the account menu, "checking your access").
  await page.waitForLoadState('networkidle').catch(() => undefined);
  if (screen.focus) {
    const target = page.locator(screen.focus).first();
    await target.waitFor({ timeout: 15_000 });
    await target.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  }
  await page.waitForTimeout(300);
  await page.screenshot({ path: file });
  await page.close();
}

const options = { only: values.only, docs: values.docs };
let site: DemoSite | undefined;
let baseURL = values['base-url'];
if (!baseURL) {
  console.error('Building and starting the demo (about a minute)…');
  const port = await freePort();
  site = await startDemoSite({
    port,
    publicHost: '127.0.0.1',
    outDir: demoBuildDir('screenshots'),
    build: !values['no-build'],
    log: () => undefined,
  });
  baseURL = site.standin.origin;
}

const browser = await chromium.launch(chromiumLaunchOptions());
try {
  mkdirSync(OUT, { recursive: true });
  if (options.docs) mkdirSync(DOCS_OUT, { recursive: true });
  const screens = SCREENS.filter((s) => !options.only || s.name.includes(options.only));
  const readers = [...new Set(screens.map((s) => s.reader))];
  for (const device of ['desktop', 'phone'] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      for (const reader of readers) {
        const context = await contextFor(browser, baseURL, reader, device, scheme);
        for (const screen of screens.filter((s) => s.reader === reader)) {
          const name = `${screen.name}-${device}-${scheme}`;
          const file = join(OUT, `${name}.png`);
          try {
            await shoot(context, screen, file);
            console.error(`  ${name}`);
          } catch (error) {
            rmSync(file, { force: true });
            console.error(`  ${name}: FAILED ${(error as Error).message.split('\n')[0]}`);
            process.exitCode = 1;
          }
          if (options.docs && DOCS.has(name)) {
            await sharp(file)
              .png({ palette: true, quality: 80, compressionLevel: 9 })
              .toFile(join(DOCS_OUT, `${name}.png`));
          }
        }
        await context.close();
      }
    }
  }
  console.error(`Screenshots in ${OUT}${options.docs ? ` and ${DOCS_OUT}` : ''}`);
} finally {
  await browser.close();
  await site?.stop();
}
