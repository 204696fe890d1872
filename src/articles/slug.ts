/**
 * Slugs, one rule: github-slugger's `slug`, the function Astro's glob loader applies to an article's file
 * name to make its id (the URL slug), and Astro's Markdown to headings (src/articles/heading-anchors.ts).
 */
import { slug } from 'github-slugger';
import path from 'node:path';

/** An article file's slug (`rel` relative to the articles folder): github-slugger on the name without `.md`. */
export function slugOfFile(rel: string): string {
  return slug(path.posix.basename(rel, '.md'));
}

/** Letters that Unicode decomposition does not fold to ASCII. */
const SPECIAL_LETTERS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ł: 'l',
  ı: 'i',
  ŧ: 't',
  ħ: 'h',
};

/**
 * A title as a file name or tag (`npm run new`, the checker's suggestions): `slug` over the title folded to
 * ASCII words, so the result is lowercase ASCII words joined by single hyphens (the shape `TAG_PATTERN`
 * describes), and a file with that name gets the same slug from Astro. Accented letters fold to their
 * base letter ("Café" → "cafe"); letters without an ASCII form (e.g. Cyrillic or CJK) are dropped, so a
 * title made only of them gives an empty slug.
 */
export function slugify(title: string): string {
  const ascii = title
    .toLowerCase()
    .replace(/[ßæœøđðþłıŧħ]/g, (letter) => SPECIAL_LETTERS[letter] ?? letter)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '') // combining accents left over by the decomposition
    .replace(/['’‘`]/g, '') // "Don't" → "dont", not "don-t"
    .replace(/&/g, ' and ')
    .replace(/[^\x20-\x7e]+/g, ' '); // what has no ASCII form separates words
  return slug(ascii).replace(/[-_]+/g, '-').replace(/^-|-$/g, '');
}
