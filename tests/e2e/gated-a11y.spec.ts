/**
 * Issue 11, probe finding 6: every page type passes axe (every rule axe-core runs by default, WCAG 2
 * A/AA included) in light and dark colour schemes. Runs in the `gated` project (keyed server) so
 * signed-in pages render as readers see them. Clerk's Frontend API is unreachable here, so Clerk's own
 * widgets do not load; the page around them is what is checked.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { publishedSourceArticles } from '../support/articles';
import { signInContext } from '../support/browser-session';
import { FAPI_HOST, readerClaims, sharedTestKeys, type TokenOptions } from '../support/clerk-session';

const keys = sharedTestKeys();
const readers = readerClaims();
const published = publishedSourceArticles();
const hasCode = (body: string) => /^```/m.test(body);
const publicWithCode = published.find((a) => a.access === 'public' && hasCode(a.body))!;
const premiumWithCode = published.find((a) => a.access === 'premium' && hasCode(a.body))!;
const tag = publicWithCode.tags[0]!;

interface PageCase {
  name: string;
  path: string;
  reader?: TokenOptions;
  /** Something the page shows once it is the page this case means (not an error or a redirect). */
  heading: RegExp;
  code?: boolean;
}

const PAGES: PageCase[] = [
  { name: 'home', path: '/', heading: /./ },
  { name: 'archive', path: '/articles/', heading: /articles/i },
  { name: 'tag', path: `/tags/${tag}/`, heading: new RegExp(tag, 'i') },
  { name: 'public article with code', path: `/articles/${publicWithCode.slug}/`, heading: /./, code: true },
  { name: 'gated article, anonymous', path: `/members/${premiumWithCode.slug}/`, heading: /./ },
  {
    name: 'gated article, premium reader',
    path: `/members/${premiumWithCode.slug}/`,
    reader: readers.premiumByMetadata,
    heading: /./,
    code: true,
  },
  { name: 'sign-in', path: '/sign-in/', heading: /sign in/i },
  { name: 'account', path: '/account/', reader: readers.member, heading: /account/i },
  { name: 'pricing', path: '/pricing/', heading: /./ },
  { name: 'editor desk', path: '/editor/', reader: readers.editor, heading: /editor desk/i },
  { name: 'members list', path: '/editor/members/', reader: readers.editor, heading: /members/i },
  { name: '404', path: '/no-such-page/', heading: /couldn.t find/i },
];

test.beforeEach(async ({ context }) => {
  // axe's contrast rule visits every highlighted token of a long article: tens of seconds on a busy machine.
  test.setTimeout(180_000);
  await context.route(`https://${FAPI_HOST}/**`, (route) => route.abort());
});

for (const colorScheme of ['light', 'dark'] as const) {
  for (const { name, path, reader, heading, code } of PAGES) {
    test(`${name} (${path}) has no axe violations in ${colorScheme} mode`, async ({ page, context, baseURL }) => {
      if (reader) await signInContext(context, baseURL!, keys, reader);
      await page.emulateMedia({ colorScheme });
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
      if (reader === readers.premiumByMetadata) await expect(page.locator('[data-access-granted]')).toBeVisible();
      if (code) await expect(page.locator('pre.astro-code').first()).toBeVisible();
      expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(
        colorScheme === 'dark',
      );

      const results = await new AxeBuilder({ page }).analyze();
      const violations = results.violations.map((v) => ({
        rule: v.id,
        impact: v.impact,
        nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join(' ')}`),
      }));
      expect(violations).toEqual([]);
    });
  }
}
