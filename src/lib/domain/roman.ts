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

/** Roman numerals ("XIX", "vii") or digits ("19") to a number; null when it is neither, or not canonical ("IIII"). */
export function fromRoman(text: string): number | null {
	const s = text.trim().toUpperCase();
	if (/^\d{1,4}$/.test(s)) return Number(s) || null;
	if (!/^[IVXLCDM]+$/.test(s)) return null;
	const value: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 };
	let n = 0;
	for (let i = 0; i < s.length; i++) {
		const here = value[s[i]];
		const next = i + 1 < s.length ? value[s[i + 1]] : 0;
		n += here < next ? -here : here;
	}
	return toRoman(n) === s ? n : null;
}
