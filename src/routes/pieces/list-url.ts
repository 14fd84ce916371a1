// The pieces page keeps its search, filters, sort and page in the URL (shareable; the back button works).

/** `url` with `changes` applied (an empty or null value removes the parameter); a new filter or sort starts at the first page. */
export function listHref(url: URL, changes: Record<string, string | null | undefined>): string {
	const params = new URLSearchParams(url.searchParams);
	for (const [key, value] of Object.entries(changes)) {
		if (value === null || value === undefined || value === '') params.delete(key);
		else params.set(key, value);
	}
	if (!('offset' in changes)) params.delete('offset');
	const search = params.toString();
	return search ? `?${search}` : url.pathname;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
	['year', 365 * 24 * 3600],
	['month', 30 * 24 * 3600],
	['week', 7 * 24 * 3600],
	['day', 24 * 3600],
	['hour', 3600],
	['minute', 60]
];
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "just now", "3 minutes ago", "yesterday", "2 weeks ago". */
export function relativeTime(at: Date, now: number): string {
	const seconds = Math.round((at.getTime() - now) / 1000);
	for (const [unit, size] of UNITS) if (Math.abs(seconds) >= size) return relative.format(Math.trunc(seconds / size), unit);
	return 'just now';
}
