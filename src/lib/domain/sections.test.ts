import { describe, expect, it } from 'vitest';
import { sectionsOf, writableBlocks, type SectionBlock } from './sections';

const h = (id: string | null, level: number): SectionBlock => ({ type: 'heading', id, level });
const p: SectionBlock = { type: 'paragraph' };

describe('sections of a piece', () => {
	it('runs a section from its heading to the next heading of the same or a higher level', () => {
		const blocks = [p, h('a', 2), p, h('b', 3), p, h('c', 2), p, h('d', 1), p];
		expect(sectionsOf(blocks)).toEqual([
			{ id: 'a', level: 2, start: 1, end: 5 },
			{ id: 'b', level: 3, start: 3, end: 5 },
			{ id: 'c', level: 2, start: 5, end: 7 },
			{ id: 'd', level: 1, start: 7, end: 9 }
		]);
	});

	it('leaves out headings without an id', () => {
		expect(sectionsOf([h(null, 2), p, h('x', 2), p])).toEqual([{ id: 'x', level: 2, start: 2, end: 4 }]);
	});

	it('lets a section assignee write after the heading only, never the heading or the blocks before the first heading', () => {
		const blocks = [p, h('a', 2), p, p, h('b', 2), p];
		expect([...writableBlocks(blocks, ['a'])]).toEqual([2, 3]);
		expect([...writableBlocks(blocks, ['a', 'b'])]).toEqual([2, 3, 5]);
	});

	it('gives nothing for a section whose heading is gone (a detached assignment is never widened)', () => {
		expect(writableBlocks([p, h('a', 2), p], ['gone']).size).toBe(0);
	});
});
