import { describe, expect, it } from 'vitest';
import { countWords } from './words';

describe('countWords', () => {
	it('counts the runs between white space', () => {
		expect(countWords('Flooding closed the Varesh Canal on Tuesday.')).toBe(7);
		expect(countWords('  two\n\nlines\t ')).toBe(2);
		expect(countWords('')).toBe(0);
	});

	it('counts a hyphenated word and a number once, a lone dash or bullet not at all', () => {
		expect(countWords('cross-border traffic fell by 2,400 tonnes - a third • again')).toBe(9);
	});

	it('splits on em and en dashes as a word processor does', () => {
		expect(countWords('the canal—closed since May—reopened')).toBe(6);
		expect(countWords('pages 12–14')).toBe(3);
	});

	it('counts words in any script', () => {
		expect(countWords('Ciudad de México, Zürich und Łódź')).toBe(6);
	});
});
