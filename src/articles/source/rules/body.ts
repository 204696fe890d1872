/**
 * Body rules, on the Markdown as the site's renderer parses it (`../markdown.ts`), so examples in code or
 * comments are never taken for markers, links or images:
 * - the preview ends where `findMarker` (`src/articles/marker.ts`) says, as for the site itself;
 * - public articles live at `/articles/<slug>/`, gated ones at `/members/<slug>/` (`src/site/paths.ts`);
 * - drafts and articles dated in the future are not published (`src/articles/publish.ts`).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { isGated, type AccessLevel } from '../../../gate/membership';
import { articlePath } from '../../../site/paths';
import { MEMBERS_ONLY_MARKER } from '../../marker';
import type { Problem, Severity } from '../report';
import type { CheckedArticle, CheckOptions } from './article';
import { closest } from './closest';
import { fieldLine } from './frontmatter';

/** The site's URL of an article (the scheme lives in src/site/paths.ts). */
export function articleUrl(slug: string, access: AccessLevel): string {
  return articlePath({ id: slug, data: { access } });
}
export function checkMarkers(article: CheckedArticle, problems: Problem[]) {
  const base = { file: article.file };
  const { marker: found, extra, misplaced, inCode, mistyped } = article.markers;
  const marker = MEMBERS_ONLY_MARKER;
  const lineOf = (place: { line: number }) => article.source.bodyLine(place.line);

  for (const comment of mistyped) {
    problems.push({
      ...base,
      kind: 'marker-mistyped',
      line: lineOf(comment),
      severity: 'warning',
      message: `"${comment.text}" looks like the members-only marker but is not one, so it does not end the preview`,
      fix: `write it exactly as ${marker}`,
    });
  }

  const gated = article.access !== undefined && isGated(article.access);
  // Marker text that ends nothing: inside a paragraph, list, quote or other HTML.
  misplaced.forEach((place, index) => {
    const alone = gated && !found && index === 0;
    problems.push({
      ...base,
      kind: 'marker-placement',
      line: lineOf(place),
      severity: alone ? 'error' : 'warning',
      message: alone
        ? `the ${marker} marker is not a block of its own (it sits inside a paragraph, list, quote or HTML), so it does not end the preview: readers would see only the description`
        : 'marker text that is not a block of its own: it ends nothing',
      fix: `put ${marker} on a line of its own, at the start, with blank lines around it`,
    });
  });

  if (gated && !found && misplaced.length === 0) {
    const [code] = inCode;
    if (code) {
      const where = article.scan.code.find((c) => c.start === code.start)?.inline ? 'inline code' : 'a code block';
      problems.push({
        ...base,
        kind: 'marker-in-code',
        line: lineOf(code),
        severity: 'error',
        message: `the only ${marker} marker is inside ${where}, where it is shown as text and does not end the preview: readers would see only the description`,
        fix: `add a line ${marker} outside the code, with blank lines around it, where the public preview should end`,
      });
    } else {
      const line = fieldLine(article, ['access']);
      problems.push({
        ...base,
        kind: 'marker-missing',
        ...(line !== undefined && { line }),
        severity: 'error',
        message: `access is ${article.access} but there is no ${marker} marker: readers would see only the description`,
        fix: `add a line ${marker}, with blank lines around it, where the public preview should end`,
      });
    }
  }
  const first = found ?? misplaced[0];
  if (article.access === 'public' && first) {
    problems.push({
      ...base,
      kind: 'marker-in-public',
      line: lineOf(first),
      severity: 'warning',
      message: `public article with a ${marker} marker: everyone reads all of it anyway`,
      fix: 'remove the marker, or set access: members or premium if the rest is for members',
    });
  }
  for (const place of extra) {
    problems.push({
      ...base,
      kind: 'marker-multiple',
      line: lineOf(place),
      severity: 'warning',
      message: `more than one ${marker} marker: only the first one ends the preview`,
      fix: 'remove the extra marker',
    });
  }
}
export function checkLinks(
  article: CheckedArticle,
  bySlug: Map<string, CheckedArticle>,
  now: Date,
  problems: Problem[],
) {
  // A draft is not published yet, so its broken links are warnings until it is.
  const severity: Severity = article.draft ? 'warning' : 'error';
  const base = { file: article.file, kind: 'link' as const, severity };
  for (const { url, line: bodyLine } of article.scan.links) {
    const match = /^\/(articles|members)\/([^/?#]+)\/?([?#].*)?$/.exec(url);
    if (!match) continue;
    const section = match[1] ?? '';
    const slug = match[2] ?? '';
    const suffix = match[3] ?? '';
    if (section === 'articles' && /^\d+$/.test(slug)) continue; // /articles/2/ is a page of the index
    const line = article.source.bodyLine(bodyLine);
    const targetArticle = bySlug.get(slug) ?? bySlug.get(slug.toLowerCase());
    if (!targetArticle) {
      const guess = closest(slug, bySlug.keys());
      const guessed = guess ? bySlug.get(guess) : undefined;
      problems.push({
        ...base,
        line,
        message: `link to ${url}: there is no article "${slug}"`,
        fix: guessed?.access
          ? `did you mean ${articleUrl(guessed.slug, guessed.access)}${suffix}?`
          : 'check the slug (the article file name without .md) or remove the link',
      });
      continue;
    }
    const rightUrl = targetArticle.access ? `${articleUrl(targetArticle.slug, targetArticle.access)}${suffix}` : '';
    if (slug !== targetArticle.slug) {
      problems.push({
        ...base,
        line,
        message: `link to ${url}: slugs are lowercase, the article is "${targetArticle.slug}"`,
        fix: rightUrl ? `link to ${rightUrl} instead` : `use the slug ${targetArticle.slug}`,
      });
      continue;
    }
    if (targetArticle.draft) {
      problems.push({
        ...base,
        line,
        message: `link to ${url}: "${targetArticle.rel}" is a draft, so the link leads to a 404 page`,
        fix: `publish ${targetArticle.rel} first (draft: false), or remove the link for now`,
      });
      continue;
    }
    if (targetArticle.access) {
      const expected = isGated(targetArticle.access) ? 'members' : 'articles';
      if (section !== expected) {
        problems.push({
          ...base,
          line,
          message: `link to ${url}: "${targetArticle.rel}" is a ${targetArticle.access} article, so it lives under /${expected}/ and this link leads to a 404 page`,
          fix: `link to ${rightUrl} instead`,
        });
        continue;
      }
    }
    const ownDate = article.pubDate && article.pubDate > now ? article.pubDate : now;
    if (targetArticle.pubDate && targetArticle.pubDate > ownDate) {
      const date = targetArticle.pubDate.toISOString().slice(0, 10);
      problems.push({
        ...base,
        severity: 'warning',
        line,
        message: `link to ${url}: "${targetArticle.rel}" is scheduled for ${date}, so the link leads to a 404 page until then`,
        fix: `publish this article on or after ${date}, or bring the other article's pubDate forward`,
      });
    }
  }
}
export function checkImages(article: CheckedArticle, options: CheckOptions, problems: Problem[]) {
  const base = { file: article.file, severity: 'error' as const };
  for (const image of article.scan.images) {
    const line = article.source.bodyLine(image.line);
    const written = image.url;
    const name = written ? ` (${written})` : '';
    if (!image.alt?.trim()) {
      problems.push({
        ...base,
        kind: 'image-alt',
        line,
        message: `image${name} has no alt text, so readers using a screen reader do not know what it shows`,
        fix: 'describe what the image shows: ![What it shows](./images/file.png) or <img alt="What it shows" …>',
      });
    }
    if (!written || /^(?:[a-z][a-z0-9+.-]*:|\/\/|#)/i.test(written)) continue;
    let src = written.replace(/[?#].*$/, '');
    try {
      src = decodeURI(src);
    } catch {
      // keep it as written
    }
    let resolved: string | undefined;
    if (src.startsWith('/')) resolved = options.publicDir ? path.join(options.publicDir, src) : undefined;
    else resolved = path.resolve(path.dirname(article.file), src);
    if (resolved && !existsSync(resolved)) {
      problems.push({
        ...base,
        kind: 'image-missing',
        line,
        message: `image file not found: ${written}`,
        fix: src.startsWith('/')
          ? 'put the file in public/ or correct the path'
          : 'put the image in src/content/articles/images/ and write its path relative to the article, e.g. ./images/chart.png',
      });
    }
  }
}
