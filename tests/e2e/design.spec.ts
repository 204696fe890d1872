import { expect, test, type Page } from '@playwright/test';
import { publishedSourceArticles } from '../support/articles';
import { brokenHyphenatedWords, textJoins } from '../support/page-text';

const published = publishedSourceArticles();
const publicArticles = published.filter((a) => a.access === 'public');
const tags = [...new Set(published.flatMap((a) => a.tags))];
const PUBLIC_PAGES = [
  '/',
  '/articles/',
  '/articles/2/',
  '/tags/',
  `/tags/${tags[0]}/`,
  '/about/',
  ...publicArticles.map((a) => `/articles/${a.slug}/`),
];

function collectErrors(page: Page) {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    // Navigating to the next page aborts requests still in flight (e.g. the favicon); that is not a failure.
    if (request.failure()?.errorText !== 'net::ERR_ABORTED') errors.push(`request failed: ${request.url()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return errors;
}

test('public pages load without console errors or failed requests', async ({ page }) => {
  const errors = collectErrors(page);
  for (const path of PUBLIC_PAGES) {
    const response = await page.goto(path, { waitUntil: 'load' });
    expect(response?.status(), path).toBe(200);
  }
  expect(errors).toEqual([]);
});

test('article images are optimised and described', async ({ page }) => {
  const withImages = publicArticles.filter((a) => /!\[[^\]]+\]\(/.test(a.body));
  expect(withImages.length).toBeGreaterThan(0);
  for (const article of withImages) {
    await page.goto(`/articles/${article.slug}/`);
    const images = page.locator('.prose-article img');
    expect(await images.count()).toBeGreaterThan(0);
    for (const img of await images.all()) {
      await expect(img).toHaveAttribute('alt', /\S/);
      await expect(img).toHaveAttribute('src', /^\/_astro\/.+\.webp$/);
      // Markdown images load lazily: bring each into view, then it must decode.
      await img.scrollIntoViewIfNeeded();
      await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
    }
  }
});

test('a keyboard user can skip straight to the content, with a visible focus ring', async ({ page }) => {
  await page.goto(`/articles/${publicArticles[0]!.slug}/`);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  const outline = await skip.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe('none');
  await page.keyboard.press('Enter');
  await expect(page.locator('main#main')).toBeFocused();
});

test('pages have the landmarks assistive technology expects', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('banner')).toHaveCount(1);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(page.getByRole('main')).toHaveCount(1);
  await expect(page.getByRole('contentinfo')).toHaveCount(1);
  await expect(page.locator('[data-account-menu]')).toHaveCount(1);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});

for (const width of [320, 390, 768]) {
  test(`layout fits a ${width}px-wide screen without horizontal scrolling`, async ({ page }) => {
    await page.setViewportSize({ width, height: 800 });
    for (const path of ['/', '/articles/', `/articles/${publicArticles[0]!.slug}/`, '/tags/']) {
      await page.goto(path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
  });
}

test('dark mode follows the system preference', async ({ page }) => {
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  const light = await background();
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await background();
  expect(dark).not.toBe(light);
  // Compare perceived brightness through the browser's own colour parsing.
  const luminance = (color: string) =>
    page.evaluate((c) => {
      const ctx = document.createElement('canvas').getContext('2d')!;
      ctx.fillStyle = c;
      ctx.fillRect(0, 0, 1, 1);
      const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data;
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    }, color);
  expect(await luminance(dark)).toBeLessThan(60);
  expect(await luminance(light)).toBeGreaterThan(200);
});

test('article headings carry an anchor link to themselves', async ({ page }) => {
  await page.goto(`/articles/${publicArticles[0]!.slug}/`);
  const headings = page.locator('.prose-article h2');
  expect(await headings.count()).toBeGreaterThan(0);
  for (const heading of await headings.all()) {
    const id = await heading.getAttribute('id');
    expect(id).toBeTruthy();
    await expect(heading.locator('a.heading-anchor')).toHaveAttribute('href', `#${id}`);
  }
  const first = headings.first();
  await first.locator('a.heading-anchor').focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`#${await first.getAttribute('id')}$`));
});

test('an anonymous reader of a public page downloads no JavaScript file at all', async ({ page }) => {
  const scripts: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.push(request.url());
  });
  for (const path of ['/', `/articles/${publicArticles[0]!.slug}/`, '/articles/', '/tags/']) {
    await page.goto(path);
    await page.waitForLoadState('networkidle');
    // This server has no keys: the link stays hidden (tests/e2e/no-keys.spec.ts), but it is there.
    await expect(page.getByTestId('sign-in-link')).toHaveCount(1);
  }
  expect(scripts).toEqual([]);
  // Only Astro's small inline island bootstrap remains.
  const inline = await page.evaluate(() =>
    [...document.querySelectorAll('script:not([src]):not([type])')].reduce(
      (n, s) => n + (s.textContent?.length ?? 0),
      0,
    ),
  );
  expect(inline).toBeLessThan(6_000);
});

const gated = published.filter((a) => a.access !== 'public');
const PHONE = { width: 390, height: 844 };

test('on a 390×844 phone the header is one row, at most 64 px tall, with the sections in its menu', async ({
  page,
}) => {
  await page.setViewportSize(PHONE);
  for (const path of ['/', '/articles/', `/articles/${publicArticles[0]!.slug}/`, `/members/${gated[0]!.slug}/`]) {
    await page.goto(path);
    const header = await page.getByRole('banner').boundingBox();
    expect(header!.height, path).toBeLessThanOrEqual(64);
  }
  const menu = page.locator('[data-site-menu]');
  await menu.locator('summary').click();
  await expect(menu.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tags' })).toBeVisible();
  await menu.getByRole('searchbox', { name: 'Search articles' }).fill('fonts');
  await menu.getByRole('searchbox', { name: 'Search articles' }).press('Enter');
  await expect(page).toHaveURL(/\/search\/\?q=fonts$/);
});

test('headlines never break a word at its hyphen, on a phone or a desktop', async ({ page }) => {
  const hyphenated = published.filter((a) => /\S-\S/.test(a.title));
  expect(hyphenated.length).toBeGreaterThan(0);
  for (const width of [320, 390, 1280]) {
    await page.setViewportSize({ width, height: 844 });
    for (const article of hyphenated) {
      await page.goto(article.access === 'public' ? `/articles/${article.slug}/` : `/members/${article.slug}/`);
      const { kept, broken } = await brokenHyphenatedWords(page);
      expect(broken, `${article.slug} at ${width}px`).toEqual([]);
      expect(kept).toBeGreaterThan(0);
    }
  }
});

test('no words run together where two pieces of markup meet', async ({ page }) => {
  const paths = [
    '/',
    '/articles/',
    '/tags/',
    '/about/',
    '/search/?q=fonts',
    '/pricing/',
    '/sign-in/',
    '/no-such-page/',
    ...publicArticles.slice(0, 3).map((a) => `/articles/${a.slug}/`),
    ...gated.slice(0, 3).map((a) => `/members/${a.slug}/`),
  ];
  for (const path of paths) {
    await page.goto(path);
    expect(await textJoins(page), path).toEqual([]);
  }
});

test('article text is set in the self-hosted serif, preloaded from this site, shown with font-display: swap', async ({
  page,
}) => {
  const fontRequests: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'font') fontRequests.push(request.url());
  });
  await page.goto(`/articles/${publicArticles[0]!.slug}/`);
  await page.evaluate(() => document.fonts.ready);
  const preload = page.locator('link[rel="preload"][as="font"]');
  await expect(preload).toHaveCount(1);
  expect(await preload.getAttribute('type')).toBe('font/woff2');
  const body = page.locator('article p').first();
  const family = await body.evaluate((p) => getComputedStyle(p).fontFamily);
  expect(family).toMatch(/^"?Source Serif 4/);
  // The face the paragraph asks for is the one that loaded (not a fallback), and its rule swaps.
  const loaded = await page.evaluate(() =>
    [...document.fonts]
      .filter((f) => f.family.includes('Source Serif 4') && f.status === 'loaded')
      .map((f) => f.display),
  );
  expect(loaded.length).toBeGreaterThan(0);
  expect(new Set(loaded)).toEqual(new Set(['swap']));
  expect(fontRequests.length).toBeGreaterThan(0);
  for (const url of fontRequests) expect(new URL(url).origin).toBe(new URL(page.url()).origin);
  for (const url of fontRequests) expect(url).toMatch(/\.woff2$/);
});
