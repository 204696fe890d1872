/** What `npm run check:content` reports: the shape of a problem, and the text and JSON it prints. */
import path from 'node:path';

export type Severity = 'error' | 'warning';

/** What kind of problem it is; stable identifiers for tests and `--json` consumers. */
export type ProblemKind =
  | 'frontmatter-missing' // no frontmatter block at all
  | 'yaml' // the frontmatter is not valid YAML (or not a list of fields)
  | 'schema' // a zod issue from articleSchema
  | 'placeholder' // a published article still has the `npm run new` placeholder description
  | 'duplicate-slug' // two files give the same slug
  | 'file-name' // the file name is not a clean slug
  | 'subfolder' // an article below a subfolder: Astro's id would contain a slash
  | 'marker-missing' // gated article without the members-only marker
  | 'marker-in-code' // gated article whose only marker text is inside code
  | 'marker-in-public' // marker in a public article
  | 'marker-multiple' // more than one marker
  | 'marker-mistyped' // a comment that looks like the marker but is not
  | 'marker-placement' // marker text that is not a block of its own
  | 'link' // broken internal link between articles
  | 'image-alt' // image without alt text
  | 'image-missing' // image file does not exist
  | 'tag-variant'; // the same tag spelt differently across articles

export interface Problem {
  kind: ProblemKind;
  /** The article file: the checked directory joined with its path inside it. */
  file: string;
  /** 1-based line in the file, when the problem has a place. */
  line?: number;
  /** Frontmatter field path such as `cover.alt`, for frontmatter problems. */
  field?: string;
  severity: Severity;
  message: string;
  /** What to do about it, in one sentence. */
  fix: string;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1 };

/** By file, line, severity and kind, in code-point order (not the locale's): the same on every machine. */
export function sortProblems(problems: Problem[]): Problem[] {
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return problems.sort(
    (a, b) =>
      compare(a.file, b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      compare(a.kind, b.kind),
  );
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** `N errors, M warnings in K articles`. */
export function summarize(problems: readonly Problem[], articleCount: number): string {
  const errors = problems.filter((problem) => problem.severity === 'error').length;
  return `${plural(errors, 'error')}, ${plural(problems.length - errors, 'warning')} in ${plural(articleCount, 'article')}`;
}

/** Human-readable report: one line per problem, grouped by file, then the summary line. */
export function formatReport(problems: readonly Problem[], articleCount: number): string {
  const groups = new Map<string, Problem[]>();
  for (const problem of problems) groups.set(problem.file, [...(groups.get(problem.file) ?? []), problem]);
  const blocks = [...groups.values()].map((group) => {
    const rows = group.map((problem) => [
      `${problem.file.split(path.sep).join('/')}${problem.line ? `:${problem.line}` : ''}`,
      problem.severity,
      problem.field ?? problem.kind,
      `${problem.message}  → fix: ${problem.fix}`,
    ]);
    const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
    return rows
      .map((row) => row.map((cell, column) => (column < 3 ? cell.padEnd(widths[column] ?? 0) : cell)).join('  '))
      .join('\n');
  });
  return [...blocks, summarize(problems, articleCount)].join('\n\n');
}
