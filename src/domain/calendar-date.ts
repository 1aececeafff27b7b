const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A day that exists, written YYYY-MM-DD (years 0000–9999). A pattern alone takes 2026-02-30, and
 * `Date.parse` reads it as 2 March: a rate or a query dated so would be filed under a day nobody meant.
 */
export function isCalendarDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const y = Number(text.slice(0, 4));
  const m = Number(text.slice(5, 7));
  const d = Number(text.slice(8, 10));
  const day = new Date(0);
  day.setUTCFullYear(y, m - 1, d); // not Date.UTC, which reads the years 0–99 as 1900–1999
  return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
}
