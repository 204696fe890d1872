/**
 * Dates as readers see them. One formatter for the whole process: building an `Intl.DateTimeFormat`
 * costs far more than formatting with one, and every server-rendered article shows a date or two.
 */
// Frontmatter dates are UTC midnights: format in UTC so a reader west of Greenwich sees the same day.
const LONG_UTC = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' });

/** "March 4, 2026" */
export function formatLongDate(date: Date): string {
  return LONG_UTC.format(date);
}

/** The year the footer shows (UTC); prerendered pages are keyed by it too (src/build/page-keys.ts). */
export function currentYear(now: Date = new Date()): number {
  return now.getUTCFullYear();
}
