/**
 * The only way to the full text of a gated article. It takes the access decision as an argument and
 * refuses without an `allowed` one, so the body cannot be reached by skipping the check.
 */
import { getEntry, render } from 'astro:content';
import type { Decision } from '../gate/decision';
import type { Article } from './collection';
import { isGated } from '../gate/membership';
import { isPublished } from './publish';

/** A published gated article by slug (its preview entry), or undefined: unknown, public, draft or not yet due. */
export async function findGatedArticle(slug: string | undefined): Promise<Article | undefined> {
  if (!slug) return undefined;
  // One entry by id, not the whole collection sorted: this runs on every gated request.
  const article = await getEntry('articles', slug);
  return article && isGated(article.data.access) && isPublished(article.data) ? article : undefined;
}

export class AccessDeniedError extends Error {
  constructor(slug: string) {
    super(`Refusing to read the members-only body of "${slug}" without an allowed access decision.`);
  }
}

/**
 * Rendered full article. Throws unless `decision.allowed`. `mark` may change the HTML first (the editor
 * preview draws the line where the public preview ends).
 */
export async function renderMembersOnlyBody(article: Article, decision: Decision, mark?: (html: string) => string) {
  if (decision.allowed !== true) throw new AccessDeniedError(article.id);
  const full = await getEntry('memberBodies', article.id);
  if (!full) throw new Error(`No members-only body stored for "${article.id}".`);
  if (!mark || !full.rendered) return render(full);
  return render({ ...full, rendered: { ...full.rendered, html: mark(full.rendered.html) } });
}

/**
 * The members-only body's rendered HTML, for output that is not a page (newsletter emails). Throws unless
 * `decision.allowed`, like `renderMembersOnlyBody`.
 */
export async function membersOnlyHtml(article: Article, decision: Decision): Promise<string> {
  if (decision.allowed !== true) throw new AccessDeniedError(article.id);
  const full = await getEntry('memberBodies', article.id);
  if (!full?.rendered) throw new Error(`No members-only body stored for "${article.id}".`);
  return full.rendered.html;
}
