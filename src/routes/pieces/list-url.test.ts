import { describe, expect, it } from 'vitest';
import { listHref, relativeTime } from './list-url';

describe('listHref', () => {
	it('sets and removes parameters and goes back to the first page unless the page is what changes', () => {
		const url = new URL('http://galley.test/pieces?q=canal&kind=brief&offset=50');
		expect(listHref(url, { kind: 'article' })).toBe('?q=canal&kind=article');
		expect(listHref(url, { q: '', kind: null })).toBe('/pieces');
		expect(listHref(url, { offset: '100' })).toBe('?q=canal&kind=brief&offset=100');
	});
});

describe('relativeTime', () => {
	const now = Date.parse('2026-12-07T12:00:00Z');
	it('says how long ago, in the largest whole unit', () => {
		expect(relativeTime(new Date(now - 20_000), now)).toBe('just now');
		expect(relativeTime(new Date(now - 3 * 60_000), now)).toBe('3 minutes ago');
		expect(relativeTime(new Date(now - 26 * 3600_000), now)).toBe('yesterday');
		expect(relativeTime(new Date(now - 15 * 24 * 3600_000), now)).toBe('2 weeks ago');
	});
});
