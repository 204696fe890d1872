/**
 * Headings never break a word at its hyphen ("Inside a third-/party script audit"): words with a hyphen
 * inside are kept whole (`white-space: nowrap`), and break only at spaces like any other word. Used for
 * titles (src/components/Headline.astro) and for headings in article bodies
 * (src/articles/heading-anchors.ts).
 *
 * Plain TypeScript: unit-tested directly.
 */

/** The class that keeps a run on one line (Tailwind's `whitespace-nowrap`). */
export const KEEP_WHOLE_CLASS = 'whitespace-nowrap';

export interface HeadlineRun {
  text: string;
  /** True for a hyphenated word, to be kept on one line. */
  whole: boolean;
}

/** `text` as runs, in order; joined again they give `text` back unchanged. */
export function headlineRuns(text: string): HeadlineRun[] {
  return text
    .split(/(\S+[-‐]\S+)/)
    .map((run, index) => ({ text: run, whole: index % 2 === 1 }))
    .filter((run) => run.text !== '');
}
