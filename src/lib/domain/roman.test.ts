import { describe, expect, it } from 'vitest';
import { fromRoman, toRoman, volumeAndIssue } from './roman';

describe('volumes in Roman numerals', () => {
	it('prints the volumes a bulletin reaches', () => {
		expect([1, 4, 7, 9, 14, 19, 40, 49, 90, 99, 400, 944, 1994, 3999].map(toRoman)).toEqual([
			'I', 'IV', 'VII', 'IX', 'XIV', 'XIX', 'XL', 'XLIX', 'XC', 'XCIX', 'CD', 'CMXLIV', 'MCMXCIV', 'MMMCMXCIX'
		]);
	});

	it('leaves what has no Roman numeral in digits', () => {
		expect([0, -3, 4000, 2.5].map(toRoman)).toEqual(['0', '-3', '4000', '2.5']);
	});

	it('prints the masthead line', () => {
		expect(volumeAndIssue(19, 3)).toBe('VOLUME XIX, ISSUE 3');
	});

	it("reads a masthead's volume back, in numerals or digits, and refuses what is no numeral", () => {
		expect(['VII', 'xix', 'MCMXCIV', '12'].map(fromRoman)).toEqual([7, 19, 1994, 12]);
		expect(['IIII', 'VX', 'ABC', '', '0'].map(fromRoman)).toEqual([null, null, null, null, null]);
	});
});
