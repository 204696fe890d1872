/**
 * The publish filter: the one rule that decides whether an article is out. Every output (listings, tag
 * pages, article pages, RSS, sitemap) goes through it, so nothing can disagree about what is published.
 */

export interface Publishable {
  draft: boolean;
  pubDate: Date;
}

/**
 * Published means: not a draft, and its publication date has come. Dates are instants, so an article
 * dated today (midnight UTC) is out from the start of the day.
 */
export function isPublished(data: Publishable, now: Date = new Date()): boolean {
  return !data.draft && data.pubDate.getTime() <= now.getTime();
}

export type PublishState = 'draft' | 'scheduled' | 'published';

/** Where an article stands now: what the editor desk shows. */
export function publishState(data: Publishable, now: Date = new Date()): PublishState {
  if (data.draft) return 'draft';
  return isPublished(data, now) ? 'published' : 'scheduled';
}
