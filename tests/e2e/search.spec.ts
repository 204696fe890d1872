/** Search from the header box in a real browser, with and without JavaScript (public server, no session). */
import { expect, test } from '@playwright/test';
import { publishedSourceArticles } from '../support/articles';

const publicArticle = publishedSourceArticles().find((a) => a.access === 'public')!;
const word = publicArticle.title.match(/[A-Za-z]{6,}/)![0];

for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled });

    test('the header search box on a prerendered page leads to highlighted results and the article', async ({
      page,
    }) => {
      await page.goto('/about/');
      const box = page.getByRole('search', { name: 'Site search' }).getByRole('searchbox', { name: 'Search articles' });
      await box.fill(word);
      await box.press('Enter');
      await expect(page).toHaveURL(`/search/?q=${word}`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Search');
      const hit = page.locator(`[data-search-hit="${publicArticle.slug}"]`);
      await expect(hit.locator('mark').first()).toHaveText(new RegExp(word, 'i'));
      await expect(page.locator('#search-page-q')).toHaveValue(word);
      await hit.getByRole('link').click();
      await expect(page).toHaveURL(`/articles/${publicArticle.slug}/`);
    });
  });
}

test('a search with no matches and a bad one say so', async ({ page }) => {
  await page.goto('/search/?q=zzqqxxnotaword');
  await expect(page.getByText('No articles match.')).toBeVisible();
  const response = await page.goto('/search/?q=%21%21%21');
  expect(response?.status()).toBe(400);
  await expect(page.getByRole('heading', { name: 'Nothing to search for' })).toBeVisible();
});
