/**
 * Titles → URL slugs: lowercase ASCII words joined by hyphens, the shape `TAG_PATTERN` describes.
 * Accented letters are folded to their base letter ("Café" → "cafe"); letters without an ASCII form
 * (e.g. Cyrillic or CJK) are dropped, so a title made only of them gives an empty slug.
 */

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

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[ßæœøđðþłıŧħ]/g, (letter) => SPECIAL_LETTERS[letter] ?? letter)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '') // combining accents left over by the decomposition
    .replace(/['’‘`]/g, '') // "Don't" → "dont", not "don-t"
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
