/**
 * `npm run check:content [-- --json] [-- <folder>]`: checks every article and prints what is wrong and
 * how to fix it. Exit code 1 when there is at least one error, 0 otherwise (warnings do not fail it),
 * 2 when the command itself is used wrongly. The checker itself is `src/articles/source/check.ts`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkContent } from '../articles/source/check';
import { ARTICLES_DIR as DEFAULT_ARTICLES_DIR, listArticleFiles } from '../articles/source/reader';
import { formatReport } from '../articles/source/report';

const USAGE = `Usage: npm run check:content [-- [--json] [folder]]

Checks the articles in ${DEFAULT_ARTICLES_DIR}/ (or the given folder): frontmatter against the
schema, the members-only marker, links between articles, images and their alt text, duplicate
slugs and tags spelt in different ways.

Options:
  --json     print the problems as JSON instead of text
  -h, --help show this help

Exit code: 0 when there are no errors (warnings allowed), 1 when there are errors, 2 on bad usage.`;

export function main(argv: readonly string[]): number {
  let values: { json?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length > 1) {
    console.error(`Give at most one folder.\n\n${USAGE}`);
    return 2;
  }
  const dir = positionals[0] ?? DEFAULT_ARTICLES_DIR;
  if (!existsSync(dir)) {
    console.error(`No folder ${dir} here. Run the command from the project's root folder.`);
    return 2;
  }

  // Absolute image paths (/img/a.png) are served from the site's public/ folder, next to package.json.
  const publicDir = path.resolve('public');
  const problems = checkContent(dir, existsSync(publicDir) ? { publicDir } : {});
  if (values.json) {
    console.log(JSON.stringify(problems, null, 2));
  } else {
    const articleCount = listArticleFiles(dir).length;
    if (problems.length === 0) console.log('No problems found.\n');
    console.log(formatReport(problems, articleCount));
  }
  return problems.some((problem) => problem.severity === 'error') ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
