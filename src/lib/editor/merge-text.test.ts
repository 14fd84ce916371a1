import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mergeText } from './merge-text';

// A participant's name edited by two people at once: both edits are kept.

describe('mergeText', () => {
	it('keeps an edit at the start and one at the end', () => {
		expect(mergeText('Guest', 'Dr. Guest', 'Guest Speaker').text).toBe('Dr. Guest Speaker');
		expect(mergeText('Guest', 'Guest Speaker', 'Dr. Guest').text).toBe('Dr. Guest Speaker');
	});

	it('keeps edits at both ends of one side and a change in the middle of the other', () => {
		expect(mergeText('Anneli Varga', 'Dr. Anneli Varga, PhD', 'Anneli M. Varga').text).toBe('Dr. Anneli M. Varga, PhD');
	});

	it('takes the other side when only it changed, and a deletion on one side with an insertion on the other', () => {
		expect(mergeText('Guest', 'Guest', 'Anneli Varga').text).toBe('Anneli Varga');
		expect(mergeText('Anneli Varga (guest)', 'Anneli Varga', 'Dr. Anneli Varga (guest)').text).toBe('Dr. Anneli Varga');
	});

	it('moves the caret with the other side’s insertions before it', () => {
		// I am typing at the end ("Guest Sp|"), they put "Dr. " at the start: the caret stays after "Sp".
		expect(mergeText('Guest', 'Guest Sp', 'Dr. Guest', 'Guest Sp'.length)).toEqual({ text: 'Dr. Guest Sp', caret: 'Dr. Guest Sp'.length });
		// they appended after my caret: it stays
		expect(mergeText('Guest', 'Dr. Guest', 'Guest Speaker', 'Dr. '.length)).toEqual({ text: 'Dr. Guest Speaker', caret: 'Dr. '.length });
	});

	it('model: insertions by two people at different places of a name are all there, each whole and in order', () => {
		fc.assert(
			fc.property(fc.string({ minLength: 1, maxLength: 20 }), fc.nat(), fc.nat(), fc.stringMatching(/^[0-4]{1,6}$/), fc.stringMatching(/^[5-9]{1,6}$/), (raw, p1, p2, w1, w2) => {
				const base = raw.replace(/[0-9]/g, 'x');
				const at1 = p1 % (base.length + 1);
				const at2 = p2 % (base.length + 1);
				fc.pre(at1 !== at2);
				const mine = base.slice(0, at1) + w1 + base.slice(at1);
				const theirs = base.slice(0, at2) + w2 + base.slice(at2);
				const { text } = mergeText(base, mine, theirs);
				const expected = at1 < at2 ? base.slice(0, at1) + w1 + base.slice(at1, at2) + w2 + base.slice(at2) : base.slice(0, at2) + w2 + base.slice(at2, at1) + w1 + base.slice(at1);
				expect(text).toBe(expected);
			})
		);
	});
});
