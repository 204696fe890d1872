/**
 * Automatic sends: an article with `newsletter: <slug>` in its frontmatter is queued to that newsletter
 * once it is published and this server's build holds it (a scheduled article enters the build that
 * follows its time, src/articles/loader.ts). Never for an article published before the newsletter was
 * first enabled (`newsletters.enabled_at` in the store), unless an editor sends it from the desk.
 *
 * A middleware step starts the check in each serving process when the first request brings the store
 * (the server's own start-up request to /readyz), then repeats it every minute. Several processes may
 * check at once: the ledger's unique (article, newsletter) row queues each article once.
 */
import type { MiddlewareHandler } from 'astro';
import { getCollection } from 'astro:content';
import { isPublished } from '../articles/publish';
import { enableNewsletters } from '../members/queries/newsletters';
import type { MembersStore } from '../members/store';
import { findNewsletter, NEWSLETTERS } from '../site/newsletters';
import { queueArticle } from './desk';
import { sendingOff } from './server';

const CHECK_MS = 60_000;
let started = false;

/** Queues every due article once; returns the slugs queued by this call. */
export async function queueDueArticles(store: MembersStore, now = new Date()): Promise<string[]> {
  const enabled = await enableNewsletters(
    store,
    NEWSLETTERS.map((n) => n.slug),
    now.getTime(),
  );
  const due = await getCollection('articles', ({ data }) => data.newsletter !== undefined && isPublished(data, now));
  const queued: string[] = [];
  for (const article of due) {
    const newsletter = findNewsletter(article.data.newsletter);
    const since = newsletter ? enabled.get(newsletter.slug) : undefined;
    if (!newsletter || since === undefined || article.data.pubDate.getTime() < since) continue;
    const result = await queueArticle(store, article, newsletter, { trigger: 'auto', userId: null });
    if (result.status === 'queued') queued.push(article.id);
  }
  return queued;
}

/** Middleware step: starts the minute-by-minute check once per process, when sending is on. */
export const startAutoSends: MiddlewareHandler = (context, next) => {
  const store = context.isPrerendered ? undefined : context.locals.members;
  if (!started && store && !sendingOff) {
    started = true;
    const check = () =>
      queueDueArticles(store)
        .then((queued) => {
          if (queued.length) console.log(`[gatepost] newsletters: queued ${queued.join(', ')} automatically`);
        })
        .catch((error: unknown) =>
          console.error(`[gatepost] newsletters: automatic sends not checked: ${(error as Error).message}`),
        );
    void check();
    setInterval(() => void check(), CHECK_MS).unref();
  }
  return next();
};
