/** Site-wide settings used by layouts, feeds and structured data. */
export const SITE = {
  name: 'Gatepost',
  tagline: 'Field notes on building fast, well-made websites.',
  description:
    'Gatepost publishes practical, tested writing on web performance, Astro, accessibility and running an independent publication. Some articles are for members.',
  locale: 'en',
  /** Articles per page on the paginated index. */
  pageSize: 6,
  /** Articles in the "latest" list on the home page. */
  homeLatest: 6,
  /**
   * Articles in each feed (the public RSS feed and every member's private feed), newest first. Feed
   * readers poll often and want what is new; listing a large archive made every fetch megabytes long and
   * every publish recompress it. The archive pages and the sitemap list everything.
   */
  feedItems: 50,
} as const;
