import { describe, expect, it } from 'vitest';
import { contentFromPlainText } from './plain-text';
import { editorSchema } from '../../editor/extensions';

describe('contentFromPlainText', () => {
	it('makes paragraphs of blank-line separated text and headings of ## lines, valid in the editor schema', () => {
		const doc = contentFromPlainText('The canal closed.\nBarges waited.\n\n## Why\n\nTwo dams upstream.\n\n\n');
		expect(doc.content!.map((b) => b.type)).toEqual(['paragraph', 'heading', 'paragraph']);
		expect(doc.content![0].content!.map((n) => n.type)).toEqual(['text', 'hardBreak', 'text']);
		expect(doc.content![1]).toMatchObject({ attrs: { level: 2 }, content: [{ text: 'Why' }] });
		expect(() => editorSchema.nodeFromJSON(doc).check()).not.toThrow();
	});

	it('gives an empty paragraph for blank text', () => {
		expect(contentFromPlainText(' \n\n ')).toEqual({ type: 'doc', content: [{ type: 'paragraph' }] });
	});
});
