import { describe, expect, it } from 'vitest';
import { unsubscribeToken, unsubscribeUrl } from './unsubscribe';

describe('unsubscribe links', () => {
	it('are signed per person and change with their password', () => {
		const t = unsubscribeToken('user-1', '$argon2id$v=19$m=19456,t=2,p=1$aaaa$bbbb');
		expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(unsubscribeToken('user-2', '$argon2id$v=19$m=19456,t=2,p=1$aaaa$bbbb')).not.toBe(t);
		expect(unsubscribeToken('user-1', '$argon2id$v=19$m=19456,t=2,p=1$cccc$dddd')).not.toBe(t);
		expect(unsubscribeUrl('https://galley.example.org', 'user-1', '$argon2id$v=19$m=19456,t=2,p=1$aaaa$bbbb')).toBe(`https://galley.example.org/unsubscribe?u=user-1&t=${t}`);
	});
});
