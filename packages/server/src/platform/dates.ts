/** Calendar dates as 'YYYY-MM-DD' strings (UTC), the form every date of service and coverage date takes. */

const DAY_MS = 86_400_000;
let current = { day: '', from: 0, to: 0 };

/** Today's date (UTC); the string is made once a day, not on every call (hot paths ask for it per request). */
export function today(): string {
  const now = Date.now();
  if (now < current.from || now >= current.to) {
    const from = Math.floor(now / DAY_MS) * DAY_MS;
    current = { day: new Date(from).toISOString().slice(0, 10), from, to: from + DAY_MS };
  }
  return current.day;
}

export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** True for a 'YYYY-MM-DD' string naming a real calendar day (not 2026-02-30). */
export function isRealDate(iso: string): boolean {
  const d = new Date(`${iso}T00:00:00Z`);
  return (
    /^\d{4}-\d{2}-\d{2}$/.test(iso) && !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso
  );
}
