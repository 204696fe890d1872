/**
 * Return and redirect values from issue 19 whose *normalised* path begins with two slashes: a browser
 * reads `//evil.example` as another host, so none of them may come back out of `safeRedirectPath`.
 * Relative to the site's own origin, or absolute on it (`{origin}` is replaced by the test's origin).
 */
export const NORMALISED_TO_ANOTHER_HOST = [
  '/.//evil.example',
  '/%2e//evil.example',
  '/%2E//evil.example/x',
  '/a/..//evil.example',
  '/%2e%2e//evil.example/x',
  '/a/%2e%2e//evil.example',
  '/././/evil.example/',
  '{origin}//evil.example',
  '{origin}/.//evil.example',
] as const;

/** The cases for a site at `origin`. */
export function redirectCases(origin: string): string[] {
  return NORMALISED_TO_ANOTHER_HOST.map((raw) => raw.replace('{origin}', origin));
}
