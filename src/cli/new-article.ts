/**
 * `npm run new -- "Title" [--access public|members|premium] [--tags a,b] [--author "Name"] [--slug s]`:
 * creates `src/content/articles/<slug>.md` as a draft whose frontmatter already passes the schema, with
 * the members-only marker in place for gated articles. Never overwrites anything.
 *
 * Exit codes: 0 created, 1 user error (bad title, tag or access level, file exists), 2 unexpected failure.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'astro/zod';
import { articleSchema, TAG_PATTERN } from '../articles/schema';
import { ACCESS_LEVEL_INFO, ACCESS_LEVELS, isAccessLevel, isGated, type AccessLevel } from '../gate/membership';
import { MEMBERS_ONLY_MARKER } from '../articles/marker';
import { checkContent } from '../articles/source/check';
import { ARTICLES_DIR, listArticleFiles } from '../articles/source/reader';
import { articleSlugPath, editorPreviewPath, PATHS } from '../site/paths';
import { slugify, slugOfFile } from '../articles/slug';

export { slugify };

/** A mistake by the person running the command: printed without a stack trace, exit code 1. */
export class UserError extends Error {
  override name = 'UserError';
}

/** Deliberately recognisable: `npm run check:content` rejects it in an article that is not a draft. */
export const PLACEHOLDER_DESCRIPTION =
  'TODO: replace this placeholder with the teaser readers see in listings, RSS and search results (20 to 300 characters).';

export const FALLBACK_AUTHOR = 'Your Name';

export interface CreateArticleOptions {
  title: string;
  /** Default `public`. */
  access?: string;
  /** A list, or a comma-separated string as typed after `--tags`. */
  tags?: readonly string[] | string;
  /** Default: `git config user.name`, else "Your Name". */
  author?: string;
  /** Override the slug made from the title. */
  slug?: string;
  /** The articles folder. */
  dir: string;
  /** Publication date; default today (local time). A Date or `YYYY-MM-DD`. */
  today?: Date | string;
}

/** `git config user.name`, or "Your Name" when git or the setting is missing. */
export function defaultAuthor(): string {
  try {
    const name = execFileSync('git', ['config', 'user.name'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    }).trim();
    return name || FALLBACK_AUTHOR;
  } catch {
    return FALLBACK_AUTHOR;
  }
}

/** Today's date in local time as YYYY-MM-DD. */
export function formatDate(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function parseAccess(access: string | undefined): AccessLevel {
  const value = (access ?? 'public').trim();
  if (!isAccessLevel(value)) {
    throw new UserError(`Unknown access level "${value}". Use one of: ${ACCESS_LEVELS.join(', ')}.`);
  }
  return value;
}

/** Split, trim and de-duplicate tags; every tag must match TAG_PATTERN. */
export function parseTags(tags: readonly string[] | string | undefined): string[] {
  const list = typeof tags === 'string' ? tags.split(',') : [...(tags ?? [])];
  const cleaned = [...new Set(list.map((tag) => tag.trim()).filter(Boolean))];
  const invalid = cleaned.filter((tag) => !TAG_PATTERN.test(tag));
  if (invalid.length > 0) {
    const hints = invalid.map((tag) => (slugify(tag) ? `"${tag}" (try "${slugify(tag)}")` : `"${tag}"`));
    throw new UserError(
      `Invalid tag${invalid.length > 1 ? 's' : ''} ${hints.join(', ')}: tags are lowercase words joined by hyphens, e.g. "web-performance".`,
    );
  }
  return cleaned;
}

/** YAML double-quoted string (JSON strings are valid YAML). */
const quote = (value: string) => JSON.stringify(value);

export interface ArticleFields {
  title: string;
  description: string;
  pubDate: string;
  author: string;
  tags: readonly string[];
  access: AccessLevel;
}

/** The whole Markdown file for a new draft. */
export function renderArticle(fields: ArticleFields): string {
  const frontmatter = [
    '---',
    `title: ${quote(fields.title)}`,
    `description: ${quote(fields.description)}`,
    `pubDate: ${fields.pubDate}`,
    `author: ${quote(fields.author)}`,
    `tags: [${fields.tags.join(', ')}]`,
    `access: ${fields.access}`,
    'draft: true',
    '---',
  ];
  const opening = [
    '<!-- Start with the opening: what the reader will learn and why it matters. Link to other articles',
    '     as /articles/<slug>/ (public) or /members/<slug>/ (members, premium); put images in ./images/',
    '     and describe each one: ![What the image shows](./images/file.png). Delete this comment. -->',
    '',
    'Write the opening paragraph here.',
    '',
    '## A first section',
    '',
    'Write the first section here.',
  ];
  const gated = isGated(fields.access)
    ? [
        '',
        '<!-- Everything above the marker below is the public preview: every reader sees it. Everything below it',
        `     is only for readers with ${fields.access} access. Keep the marker on a line of its own. -->`,
        '',
        MEMBERS_ONLY_MARKER,
        '',
        `## The ${fields.access} part`,
        '',
        `Write the part for ${ACCESS_LEVEL_INFO[fields.access].label} readers here.`,
      ]
    : [];
  return [...frontmatter, '', ...opening, ...gated, ''].join('\n');
}

/**
 * Create a new draft article in `dir` and return its path. Throws `UserError` for bad input or when an
 * article with that slug exists already (nothing is ever overwritten).
 */
export function createArticle(options: CreateArticleOptions): string {
  const title = options.title.replace(/\s+/g, ' ').trim();
  if (!title) throw new UserError('Give the article a title, e.g. npm run new -- "Measuring LCP on slow phones".');
  const access = parseAccess(options.access);
  const tags = parseTags(options.tags);

  let slug: string;
  if (options.slug !== undefined) {
    slug = options.slug.trim();
    if (!TAG_PATTERN.test(slug)) {
      throw new UserError(
        `Invalid slug "${slug}": use lowercase letters and digits joined by hyphens, e.g. "my-article".`,
      );
    }
  } else {
    slug = slugify(title);
    if (!slug) {
      throw new UserError(
        `The title "${title}" gives an empty URL slug (it needs letters or digits that have a plain-ASCII form). ` +
          'Choose the slug yourself with --slug, e.g. --slug my-article.',
      );
    }
  }

  if (!existsSync(options.dir)) {
    throw new UserError(`No articles folder ${options.dir}. Run the command from the project's root folder.`);
  }
  const file = path.join(options.dir, `${slug}.md`);
  // Also catches the same slug in another letter case or a subfolder, which would clash on the site.
  const clash = listArticleFiles(options.dir).find((rel) => slugOfFile(rel) === slug);
  if (existsSync(file) || clash) {
    const existing = clash ? path.join(options.dir, clash) : file;
    throw new UserError(
      `${existing} already exists; not overwriting it. Choose a different title, or a slug with --slug.`,
    );
  }

  const today = options.today ?? new Date();
  const fields: ArticleFields = {
    title,
    description: PLACEHOLDER_DESCRIPTION,
    pubDate: typeof today === 'string' ? today : formatDate(today),
    author: options.author?.trim() || defaultAuthor(),
    tags,
    access,
  };
  // The schema decides, not this file: report whatever it would reject (e.g. a title over 140 characters).
  const result = articleSchema({ image: () => z.string() }).safeParse({ ...fields, draft: true });
  if (!result.success) {
    throw new UserError(result.error.issues.map((issue) => issue.message).join('\n'));
  }

  try {
    writeFileSync(file, renderArticle(fields), { encoding: 'utf8', flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new UserError(`${file} already exists; not overwriting it.`);
    }
    throw error;
  }
  return file;
}

const USAGE = `Usage: npm run new -- "Title" [--access public|members|premium] [--tags a,b] [--author "Name"] [--slug slug]

Creates ${ARTICLES_DIR}/<slug>.md as a draft, with the slug made from the title.

Options:
  --access   who may read it: ${ACCESS_LEVELS.join(', ')} (default: public)
  --tags     comma-separated tags, lowercase words joined by hyphens, e.g. --tags web-performance,css
  --author   the author's name (default: git config user.name, else "${FALLBACK_AUTHOR}")
  --slug     the URL slug, if the one made from the title does not suit
  -h, --help show this help

Note the -- after "new": without it npm keeps the options for itself.`;

export function main(argv: readonly string[], dir = ARTICLES_DIR): number {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        access: { type: 'string' },
        tags: { type: 'string' },
        author: { type: 'string' },
        slug: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    if (positionals.length === 0) throw new UserError(`Give the article a title.\n\n${USAGE}`);

    const file = createArticle({
      title: positionals.join(' '),
      dir,
      ...(values.access !== undefined && { access: values.access }),
      ...(values.tags !== undefined && { tags: values.tags }),
      ...(values.author !== undefined && { author: values.author }),
      ...(values.slug !== undefined && { slug: values.slug }),
    });
    const access = parseAccess(values.access);
    const slug = path.basename(file, '.md');
    const url = articleSlugPath(slug, access);

    console.log(`Created ${file} (access: ${access}, draft)\n`);
    console.log('Next steps:');
    console.log(`  1. Edit ${file}: replace the TODO description and write the article.`);
    if (isGated(access)) {
      console.log(`     Everything above the ${MEMBERS_ONLY_MARKER} line is the public preview.`);
    }
    console.log('  2. Preview it as an editor: npm start (or npm run dev), sign in with an editor account and open');
    console.log(
      `     http://localhost:4321${editorPreviewPath(slug)} (the desk, ${PATHS.editor}, lists every article).`,
    );
    console.log('  3. Check it: npm run check:content');
    console.log('  4. Publish: set draft: false (and pubDate to when it should go live), then rebuild and deploy.');
    console.log(`     Once published it lives at ${url}`);

    // Anything the checker already sees in the new file, e.g. a tag spelt unlike the same tag elsewhere.
    const problems = checkContent(dir).filter((problem) => path.resolve(problem.file) === path.resolve(file));
    if (problems.length > 0) {
      console.log('\nWorth a look:');
      for (const problem of problems) console.log(`  ${problem.message}  → fix: ${problem.fix}`);
    }
    return 0;
  } catch (error) {
    if (error instanceof UserError) {
      console.error(error.message);
      return 1;
    }
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      console.error(`${error.message}\n\n${USAGE}`);
      return 1;
    }
    console.error(error);
    return 2;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
