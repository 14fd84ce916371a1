import { describe, expect, it } from 'vitest';
import { readCookie } from './sessions';

describe('reading the session cookie from a raw Cookie header (the websocket upgrade)', () => {
	it('finds it among others, percent-decoded, the first of its name; null when absent', () => {
		expect(readCookie('theme=dark; galley_session=abc%2Bdef; lang=en', 'galley_session')).toBe('abc+def');
		expect(readCookie('galley_session=first; galley_session=second', 'galley_session')).toBe('first');
		expect(readCookie('__Host-galley_session=secure', 'galley_session')).toBeNull();
		expect(readCookie('theme=dark', 'galley_session')).toBeNull();
		expect(readCookie(undefined, 'galley_session')).toBeNull();
	});
});
