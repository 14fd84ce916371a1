import { describe, expect, it } from 'vitest';
import { composeEmail } from './mail';

describe('composeEmail', () => {
	it('uses the notification as subject and links the piece, the notifications and the setting when the origin is known', () => {
		const mail = composeEmail({ text: 'Maren Holt approved “Dams and drought”', pieceId: 'p1' }, 'tomas@example.org', 'https://galley.example.org');
		expect(mail.to).toBe('tomas@example.org');
		expect(mail.subject).toBe('Maren Holt approved “Dams and drought”');
		expect(mail.text).toContain('https://galley.example.org/pieces/p1');
		expect(mail.text).toContain('https://galley.example.org/settings');
	});

	it('keeps the subject to one short line', () => {
		const mail = composeEmail({ text: `Maren Holt requested changes to “Dams”: “${'More gauge data. '.repeat(20)}\nAnd a map.”`, pieceId: null }, 'x@example.org', null);
		expect(mail.subject).not.toContain('\n');
		expect(mail.subject.length).toBeLessThanOrEqual(140);
		expect(mail.subject.endsWith('…')).toBe(true);
		expect(mail.text).not.toContain('http');
	});
});
