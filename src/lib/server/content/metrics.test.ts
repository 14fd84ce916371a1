import { describe, expect, it } from 'vitest';
import type { JSONContent } from '@tiptap/core';
import { pieceMetrics } from './metrics';
import { pieceTemplate } from '../../domain/templates';
import { participantsNodeJSON } from '../../editor/participants';

const text = (t: string): JSONContent => ({ type: 'text', text: t });
const p = (...content: JSONContent[]): JSONContent => ({ type: 'paragraph', content });
const note = (t: string): JSONContent => ({ type: 'endnote', attrs: { id: 'n1' }, content: [text(t)] });

describe('pieceMetrics', () => {
	it('counts an article’s headings and paragraphs, and lists the headings that have an id', () => {
		const doc: JSONContent = {
			type: 'doc',
			content: [
				p(text('Water levels in the Varesh basin fell again.')),
				{ type: 'heading', attrs: { level: 2, id: 'h-causes' }, content: [text('Why the canal closed')] },
				p(text('Two dams upstream held back the spring melt.')),
				{ type: 'heading', attrs: { level: 3 }, content: [text('Unnamed')] },
				{ type: 'bulletList', content: [{ type: 'listItem', content: [p(text('Barges waited'))] }] }
			]
		};
		const m = pieceMetrics(doc);
		expect(m.wordCount).toBe(8 + 4 + 8 + 1 + 2);
		expect(m.headings).toEqual([{ id: 'h-causes', level: 2, title: 'Why the canal closed' }]);
		expect(m.bodyText.split('\n')).toEqual([
			'Water levels in the Varesh basin fell again.',
			'Why the canal closed',
			'Two dams upstream held back the spring melt.',
			'Unnamed',
			'Barges waited'
		]);
	});

	it('leaves endnotes out: neither the note’s text nor its number counts', () => {
		const doc: JSONContent = { type: 'doc', content: [p(text('The ministry confirmed it'), note('Basin Watch interview, 3 May.'), text(' on Monday.'))] };
		const m = pieceMetrics(doc);
		expect(m.wordCount).toBe(6);
		expect(m.bodyText).toBe('The ministry confirmed it on Monday.');
	});

	it('counts an interview as printed: lead-in, each turn with its speaker label, not the participants list', () => {
		const doc: JSONContent = {
			type: 'doc',
			content: [
				participantsNodeJSON([
					{ id: 'p-bw', name: 'Basin Watch', label: 'BW', role: 'interviewer' },
					{ id: 'p-av', name: 'Anneli Varga', label: 'AV', role: 'interviewee' }
				]),
				{ type: 'leadIn', content: [text('Basin Watch spoke with Anneli Varga.')] },
				{ type: 'qaBlock', attrs: { kind: 'question', speaker: 'p-bw' }, content: [p(text('What changed?'))] },
				{ type: 'qaBlock', attrs: { kind: 'answer', speaker: 'p-av' }, content: [p(text('The dams.')), p(text('And the rain.'))] },
				{ type: 'qaBlock', attrs: { kind: 'question', speaker: 'p-bw' }, content: [p()] }
			]
		};
		const m = pieceMetrics(doc);
		expect(m.bodyText).toBe('Basin Watch spoke with Anneli Varga.\nBW: What changed?\nAV: The dams.\nAnd the rain.');
		expect(m.wordCount).toBe(6 + 3 + 3 + 3);
	});

	it('counts nothing in a new piece of any kind (the templates hold prompts, not text)', () => {
		for (const kind of ['brief', 'article', 'interview'] as const) expect(pieceMetrics(pieceTemplate(kind))).toEqual({ wordCount: 0, bodyText: '', headings: [] });
	});
});
