// The masthead prints an issue's volume in Roman numerals: "VOLUME XIX".

const NUMERALS: [number, string][] = [
	[1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'],
	[50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']
];

/** A positive whole number in Roman numerals (19 → "XIX"); 4000 and above, or anything else, stays in digits. */
export function toRoman(n: number): string {
	if (!Number.isInteger(n) || n < 1 || n >= 4000) return String(n);
	let rest = n;
	let out = '';
	for (const [value, numeral] of NUMERALS) {
		while (rest >= value) {
			out += numeral;
			rest -= value;
		}
	}
	return out;
}

/** The masthead's line for an issue: "VOLUME VII, ISSUE 12". */
export function volumeAndIssue(volume: number, number: number): string {
	return `VOLUME ${toRoman(volume)}, ISSUE ${number}`;
}
