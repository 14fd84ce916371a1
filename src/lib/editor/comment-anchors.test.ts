import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import { editorSchema } from './extensions';
import { anchorAt, decodePosition, encodePosition, findQuote, pieceText, quoteAt, resolveAnchor } from './comment-anchors';

function docOf(content: object[]): Y.Doc {
	const doc = new Y.Doc();
	prosemirrorJSONToYXmlFragment(editorSchema, { type: 'doc', content }, doc.getXmlFragment('body'));
	return doc;
}
const p = (...inline: object[]) => ({ type: 'paragraph', content: inline });
const t = (text: string, marks?: object[]) => ({ type: 'text', text, ...(marks ? { marks } : {}) });

describe('the text model of comments', () => {
	it('joins textblocks with line breaks, counts a hard break as one, and leaves out endnotes', () => {
		const doc = docOf([
			{ type: 'heading', attrs: { level: 2 }, content: [t('Dams')] },
			p(t('The river '), t('rose', [{ type: 'bold' }]), t(' at dawn.'), { type: 'hardBreak' }, t('Herders moved.')),
			{ type: 'bulletList', content: [{ type: 'listItem', content: [p(t('Gauge one'))] }] },
			p(t('Silt'), { type: 'endnote', attrs: { id: 'n1' }, content: [t('Basin council minutes.')] }, t(' settles.'))
		]);
		expect(pieceText(doc.getXmlFragment('body')).text).toBe('Dams\nThe river rose at dawn.\nHerders moved.\nGauge one\nSilt settles.');
	});

	it('finds a quote once, refuses a missing one, and singles out one of several by its prefix or suffix', () => {
		const text = 'The dam holds. The dam leaks. The dam holds.';
		expect(findQuote(text, { exact: 'leaks' })).toEqual({ start: text.indexOf('leaks') });
		expect(findQuote(text, { exact: 'floods' })).toEqual({ error: 'missing', count: 0 });
		expect(findQuote(text, { exact: 'The dam' })).toEqual({ error: 'ambiguous', count: 3 });
		expect(findQuote(text, { exact: 'The dam', prefix: 'holds. ' })).toEqual({ start: 15 });
		expect(findQuote(text, { exact: 'The dam holds', prefix: 'leaks. ' })).toEqual({ start: 30 });
		expect(findQuote(text, { exact: 'The dam holds', suffix: '. The dam leaks' })).toEqual({ start: 0 });
		expect(findQuote(text, { exact: 'The dam', suffix: ' holds' })).toEqual({ error: 'ambiguous', count: 3 });
	});

	it('anchors across blocks and follows edits: before it, inside it, at its edges, and its deletion', () => {
		const doc = docOf([p(t('Water levels fell.')), p(t('Herders moved north.'))]);
		const body = doc.getXmlFragment('body');
		let model = pieceText(body);
		const from = model.text.indexOf('fell');
		const to = model.text.indexOf(' north');
		const anchor = anchorAt(model, from, to)!;
		const start = decodePosition(encodePosition(anchor.start));
		const end = decodePosition(encodePosition(anchor.end));
		expect(resolveAnchor(doc, model, start, end)?.exact).toBe('fell.\nHerders moved');

		const first = body.get(0) as Y.XmlElement;
		const second = body.get(1) as Y.XmlElement;
		(first.get(0) as Y.XmlText).insert(0, 'Again, '); // before it
		(first.get(0) as Y.XmlText).insert('Again, Water levels '.length, 'quickly '); // at its start edge: stays out
		(second.get(0) as Y.XmlText).insert('Herders moved'.length, ' slowly'); // at its end edge: stays out
		(second.get(0) as Y.XmlText).insert('Herders'.length, ' and cattle'); // inside it
		model = pieceText(body);
		const at = resolveAnchor(doc, model, start, end)!;
		expect(at.exact).toBe('fell.\nHerders and cattle moved');
		expect(quoteAt(model, at.from, at.to)).toEqual({ exact: at.exact, prefix: at.prefix, suffix: at.suffix });
		expect(at.prefix.endsWith('quickly ')).toBe(true);
		expect(at.suffix.startsWith(' slowly')).toBe(true);

		body.delete(1, 1); // the second paragraph, with the anchor's end
		expect(resolveAnchor(doc, pieceText(body), start, end)).toBeNull();
	});

	it('keeps what is left of its text when the quote’s first or last words are deleted', () => {
		const doc = docOf([p(t('Water levels fell all spring at the dam.'))]);
		const body = doc.getXmlFragment('body');
		const model = pieceText(body);
		const from = model.text.indexOf('fell');
		const anchor = anchorAt(model, from, from + 'fell all spring'.length)!;
		const text = (body.get(0) as Y.XmlElement).get(0) as Y.XmlText;
		text.delete(from, 'fell '.length);
		text.delete(from + 'all'.length, ' spring'.length);
		expect(resolveAnchor(doc, pieceText(body), anchor.start, anchor.end)?.exact).toBe('all');
	});

	it('gives no anchor for a range of line breaks only', () => {
		const model = pieceText(docOf([p(t('One')), p(), p(t('Two'))]).getXmlFragment('body'));
		expect(model.text).toBe('One\n\nTwo');
		expect(anchorAt(model, 3, 5)).toBeNull();
		expect(anchorAt(model, 2, 6)).not.toBeNull();
	});
});
