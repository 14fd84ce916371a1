import { describe, expect, it } from 'vitest';
import { headingsOf } from './headings';

describe('headingsOf', () => {
	it('lists the top-level headings that have an id, with their level and text, in order', () => {
		const doc = {
			type: 'doc',
			content: [
				{ type: 'paragraph', content: [{ type: 'text', text: 'Lead' }] },
				{ type: 'heading', attrs: { level: 2, id: 'h-dams' }, content: [{ type: 'text', text: 'Dams and ' }, { type: 'text', text: 'drought', marks: [{ type: 'bold' }] }] },
				{ type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: 'No id yet' }] },
				{ type: 'blockquote', content: [{ type: 'heading', attrs: { level: 2, id: 'nested' }, content: [] }] },
				{ type: 'heading', attrs: { level: 3, id: 'h-ferry' }, content: [] }
			]
		};
		expect(headingsOf(doc)).toEqual([
			{ id: 'h-dams', level: 2, title: 'Dams and drought' },
			{ id: 'h-ferry', level: 3, title: '' }
		]);
	});

	it('finds nothing in an empty document', () => {
		expect(headingsOf({ type: 'doc', content: [] })).toEqual([]);
		expect(headingsOf({ type: 'doc' })).toEqual([]);
	});
});
