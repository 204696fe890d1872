/** schema.org JSON-LD for articles; gated ones declare their paywall as search engines ask. */
import { isGated, type AccessLevel } from '../gate/membership';

export const MEMBERS_ONLY_SELECTOR = '.members-only';

export interface StructuredArticle {
  title: string;
  description: string;
  pubDate: Date;
  updatedDate?: Date | undefined;
  author: string;
  access: AccessLevel;
}

export function articleJsonLd(article: StructuredArticle, url: URL, publisher: string): string {
  const data = {
    '@context': 'https://schema.org',
    '@type': 'Article',
    headline: article.title,
    description: article.description,
    datePublished: article.pubDate.toISOString(),
    dateModified: (article.updatedDate ?? article.pubDate).toISOString(),
    author: { '@type': 'Person', name: article.author },
    publisher: { '@type': 'Organization', name: publisher },
    mainEntityOfPage: url.href,
    isAccessibleForFree: !isGated(article.access),
    ...(isGated(article.access) && {
      hasPart: { '@type': 'WebPageElement', isAccessibleForFree: false, cssSelector: MEMBERS_ONLY_SELECTOR },
    }),
  };
  // Safe inside <script>: no "</script>" or "<!--" can be formed.
  return JSON.stringify(data).replace(/</g, '\\u003c');
}
