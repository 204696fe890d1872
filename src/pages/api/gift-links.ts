/**
 * POST /api/gift-links `{ "slug": "…" }` → `{ "url", "expiresAt" }`: a gift link to a gated article the
 * reader may read themselves. The server has already checked the method, body size and origin
 * (POST_ROUTES in src/server/methods.ts). See docs/access.md, "Gift links".
 */
import type { APIRoute } from 'astro';
import { findGatedArticle } from '../../articles/member-content';
import { decideAccess } from '../../gate/decision';
import { authorizedParties } from '../../clerk/server-config';
import { giftConfig, giftLimiter, reportGiftConfig } from '../../gifts/server';
import { createGiftToken } from '../../gifts/token';
import { giftPath } from '../../site/paths';

export const prerender = false;

// Private, no-store, as every rendered response (the cache policy in src/middleware.ts).
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers });
const error = (status: number, message: string, headers?: Record<string, string>) =>
  json(status, { error: message }, headers);

export const POST: APIRoute = async ({ request, locals }) => {
  reportGiftConfig();
  if (!giftConfig.enabled) return error(404, 'Not found');
  const viewer = locals.viewer;
  if (viewer.kind !== 'member') return error(401, 'Sign in to share an article.');

  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json(\s*;|$)/i.test(type)) return error(415, 'Send JSON (application/json).');
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return error(400, 'The body is not valid JSON.');
  }
  const slug = (body as { slug?: unknown } | null)?.slug;
  if (typeof slug !== 'string' || slug === '' || slug.length > 200) return error(400, 'Give the article as "slug".');

  const article = await findGatedArticle(slug);
  if (!article) return error(404, 'No such members article.');
  // The giver's own access only: no gift grant is passed, so a gift cannot be re-gifted.
  if (!decideAccess(viewer, article.data).allowed) return error(403, 'You can only share what you can read.');

  if (!giftLimiter.take(viewer.userId)) {
    const retry = Math.max(1, giftLimiter.retryAfter(viewer.userId));
    return error(429, 'Too many gift links; try again later.', { 'Retry-After': String(retry) });
  }
  const { token, expiresAt } = createGiftToken(giftConfig.key, article.id, giftConfig.lifetimeSeconds);
  return json(200, {
    url: new URL(giftPath(article.id, token), authorizedParties.siteOrigin).href,
    expiresAt: expiresAt.toISOString(),
  });
};
