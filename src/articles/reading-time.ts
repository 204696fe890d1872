/** Word count and reading time of a Markdown body, as readers and editors see them. */

const WORDS_PER_MINUTE = 230;

/** Words of prose: code blocks, HTML comments, link targets and Markdown punctuation are not read aloud. */
export function countWords(markdown: string): number {
  const text = markdown
    .replace(/^(```|~~~)[\s\S]*?^\1/gm, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, ' ')
    .replace(/[#>*_`|~-]+/g, ' ');
  return text.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
}

export function readingMinutes(words: number): number {
  return Math.max(1, Math.round(words / WORDS_PER_MINUTE));
}
