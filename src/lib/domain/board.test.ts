import { describe, expect, it } from 'vitest';
import { keyboardMove, wordsAgainstTarget, type BoardZone } from './board';

const zones: BoardZone[] = [
	{ key: 'briefs', ids: ['a', 'b'] },
	{ key: 'articles', ids: [] },
	{ key: 'interview', ids: ['c'] },
	{ key: null, ids: ['d'] }
];

describe('moving a piece by keyboard through the table of contents', () => {
	it('moves within its section', () => {
		expect(keyboardMove(zones, 'a', 1)).toEqual({ key: 'briefs', position: 1 });
		expect(keyboardMove(zones, 'b', -1)).toEqual({ key: 'briefs', position: 0 });
	});
	it('crosses into the next section at its start, and into an empty one', () => {
		expect(keyboardMove(zones, 'b', 1)).toEqual({ key: 'articles', position: 0 });
		expect(keyboardMove(zones, 'c', 1)).toEqual({ key: null, position: 0 });
	});
	it('crosses into the previous section at its end', () => {
		expect(keyboardMove(zones, 'c', -1)).toEqual({ key: 'articles', position: 0 });
		expect(keyboardMove(zones, 'd', -1)).toEqual({ key: 'interview', position: 1 });
	});
	it('stops at either end of the board, and ignores a piece not on it', () => {
		expect(keyboardMove(zones, 'a', -1)).toBeNull();
		expect(keyboardMove(zones, 'd', 1)).toBeNull();
		expect(keyboardMove(zones, 'x', 1)).toBeNull();
	});
});

describe('a word count against its target', () => {
	it('reads as the board prints it', () => {
		expect(wordsAgainstTarget(812, 1200)).toBe('812 / 1,200 words');
		expect(wordsAgainstTarget(1, null)).toBe('1 word');
		expect(wordsAgainstTarget(12345, null)).toBe('12,345 words');
	});
});
