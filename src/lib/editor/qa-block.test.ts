// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Editor, JSONContent } from '@tiptap/core';
import { TextSelection } from '@tiptap/pm/state';
import { useCollaborativeEditors } from '../../../tests/support/collaborative-editors';
import { yjsStateFromJSON } from '../server/content/document';
import { interviewDocument } from '../../../tests/support/interview-document';

// Splitting a Q&A turn at the caret (Ctrl+Shift+Enter) and merging a turn into the one before
// (Backspace at its start), at every position: the start, the middle and the end of a turn, the first
// and the last turn, between the paragraphs of a turn, next to a citation and next to an endnote.

const collaborativeEditor = useCollaborativeEditors();

const CITATION = { type: 'citation', attrs: { sourceId: null, source: 'Varesh Daily', url: 'https://vareshdaily.example/news/1', date: 'March 12', qualifier: null } };
const t = (text: string, marks?: JSONContent['marks']): JSONContent => (marks ? { type: 'text', text, marks } : { type: 'text', text });
const p = (...content: JSONContent[]): JSONContent => (content.length ? { type: 'paragraph', content } : { type: 'paragraph' });
const turn = (id: string, kind: 'question' | 'answer', speaker: string, ...paragraphs: JSONContent[]): JSONContent => ({
	type: 'qaBlock',
	attrs: { id, kind, speaker },
	content: paragraphs
});

const INTERVIEW = interviewDocument([
	turn('q-1', 'question', 'p-bw', p(t('What happened in the delta?'))),
	turn(
		'a-1',
		'answer',
		'p-av',
		p(t('The flooding cut the road, '), t('Varesh Daily', [{ type: 'citation', attrs: CITATION.attrs }]), t(' reported.')),
		p(t('Prices doubled'), { type: 'endnote', attrs: { id: 'n-1' }, content: [t('Market survey, March.')] }, t(' within a week.'))
	),
	turn('q-2', 'question', 'p-bw', p(t('And the markets?')))
]);

function openInterview(): Editor {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, yjsStateFromJSON(INTERVIEW));
	return collaborativeEditor(doc);
}

/** Put the caret `offset` characters (positions) into the textblock whose text starts with `start`. */
function caretIn(editor: Editor, start: string, offset: number | 'end') {
	let at = -1;
	editor.state.doc.descendants((node, pos) => {
		if (at >= 0 || !node.isTextblock) return at < 0 && !node.isTextblock;
		if (node.textContent.startsWith(start)) at = pos + 1 + (offset === 'end' ? node.content.size : offset);
		return false;
	});
	if (at < 0) throw new Error(`no paragraph starts with ${start}`);
	editor.view.dispatch(editor.state.tr.setSelection(TextSelection.create(editor.state.doc, at)));
}

/** The turns: speaker, kind, id and the texts of their paragraphs (an endnote shows as [n]). */
function turns(editor: Editor) {
	const out: { id: string; kind: string; speaker: string; paragraphs: string[] }[] = [];
	editor.state.doc.forEach((node) => {
		if (node.type.name !== 'qaBlock') return;
		const paragraphs: string[] = [];
		node.forEach((para) => {
			let text = '';
			para.forEach((inline) => (text += inline.type.name === 'endnote' ? '[n]' : inline.text));
			paragraphs.push(text);
		});
		out.push({ id: node.attrs.id, kind: node.attrs.kind, speaker: node.attrs.speaker, paragraphs });
	});
	return out;
}

/** Where the caret is: the index of its turn and paragraph, and its offset in the paragraph. */
function caret(editor: Editor) {
	const { $from } = editor.state.selection;
	let turnIndex = -1;
	let i = 0;
	editor.state.doc.forEach((node, offset) => {
		if (node.type.name !== 'qaBlock') return;
		if ($from.pos > offset && $from.pos < offset + node.nodeSize) turnIndex = i;
		i++;
	});
	return { turn: turnIndex, paragraph: $from.index($from.depth - 1), offset: $from.parentOffset };
}

/** A key pressed in the editor, as the browser delivers it (the handlers' transactions, caret included). */
function press(editor: Editor, key: string, mods: { ctrl?: boolean; shift?: boolean } = {}): boolean {
	const mac = /Mac|iP(hone|[oa]d)/.test(navigator.platform);
	const event = new KeyboardEvent('keydown', { key, shiftKey: !!mods.shift, ctrlKey: !!mods.ctrl && !mac, metaKey: !!mods.ctrl && mac });
	return !!editor.view.someProp('handleKeyDown', (handle) => handle(editor.view, event));
}
const split = (editor: Editor) => press(editor, 'Enter', { ctrl: true, shift: true });
const backspace = (editor: Editor) => press(editor, 'Backspace');

const ORIGINAL = [
	{ id: 'q-1', kind: 'question', speaker: 'p-bw', paragraphs: ['What happened in the delta?'] },
	{ id: 'a-1', kind: 'answer', speaker: 'p-av', paragraphs: ['The flooding cut the road, Varesh Daily reported.', 'Prices doubled[n] within a week.'] },
	{ id: 'q-2', kind: 'question', speaker: 'p-bw', paragraphs: ['And the markets?'] }
];

/** The new turn's id: set, and no other turn's. */
function expectFreshId(editor: Editor, index: number) {
	const ids = turns(editor).map((x) => x.id);
	expect(ids[index]).toMatch(/\S/);
	expect(ids.filter((id) => id === ids[index])).toHaveLength(1);
}

describe('Ctrl+Shift+Enter splits a turn at the caret, Backspace at a turn’s start merges it back', () => {
	it('in the middle of the first turn: two turns of the same speaker, the new one with a fresh id and the caret at its start', () => {
		const editor = openInterview();
		caretIn(editor, 'What happened', 'What happened'.length);
		expect(split(editor)).toBe(true);
		const after = turns(editor);
		expect(after.map((x) => x.paragraphs)).toEqual([['What happened'], [' in the delta?'], ORIGINAL[1].paragraphs, ORIGINAL[2].paragraphs]);
		expect(after[0]).toMatchObject({ id: 'q-1', kind: 'question', speaker: 'p-bw' });
		expect(after[1]).toMatchObject({ kind: 'question', speaker: 'p-bw' });
		expectFreshId(editor, 1);
		expect(caret(editor)).toEqual({ turn: 1, paragraph: 0, offset: 0 });
		// Backspace: the turn goes back into the one before, as its second paragraph; a second one joins them.
		expect(backspace(editor)).toBe(true);
		expect(turns(editor)[0]).toEqual({ ...ORIGINAL[0], paragraphs: ['What happened', ' in the delta?'] });
		expect(backspace(editor)).toBe(true);
		expect(turns(editor)).toEqual(ORIGINAL);
	});

	it('at the start of a turn: an empty turn of the same speaker before it, the turn keeping its id and the caret', () => {
		const editor = openInterview();
		caretIn(editor, 'The flooding', 0);
		expect(split(editor)).toBe(true);
		const after = turns(editor);
		expect(after.map((x) => x.paragraphs)).toEqual([ORIGINAL[0].paragraphs, [''], ORIGINAL[1].paragraphs, ORIGINAL[2].paragraphs]);
		expect(after[1]).toMatchObject({ kind: 'answer', speaker: 'p-av' });
		expectFreshId(editor, 1);
		expect(after[2]).toEqual(ORIGINAL[1]);
		expect(caret(editor)).toEqual({ turn: 2, paragraph: 0, offset: 0 });
		// Backspace: the empty turn before goes, the turn keeps its id
		expect(backspace(editor)).toBe(true);
		expect(turns(editor)).toEqual(ORIGINAL);
		expect(caret(editor)).toEqual({ turn: 1, paragraph: 0, offset: 0 });
	});

	it('at the end of the last turn: a new empty turn of the same speaker after it, the caret in it', () => {
		const editor = openInterview();
		caretIn(editor, 'And the markets', 'end');
		expect(split(editor)).toBe(true);
		const after = turns(editor);
		expect(after.map((x) => x.paragraphs)).toEqual([...ORIGINAL.map((x) => x.paragraphs), ['']]);
		expect(after[3]).toMatchObject({ kind: 'question', speaker: 'p-bw' });
		expectFreshId(editor, 3);
		expect(caret(editor)).toEqual({ turn: 3, paragraph: 0, offset: 0 });
		editor.commands.insertContent('Which ones?');
		expect(turns(editor)[3].paragraphs).toEqual(['Which ones?']);
		caretIn(editor, 'Which ones', 0);
		backspace(editor);
		expect(turns(editor)).toEqual([ORIGINAL[0], ORIGINAL[1], { ...ORIGINAL[2], paragraphs: ['And the markets?', 'Which ones?'] }]);
	});

	it('between the paragraphs of a turn (at the start of the second, or the end of the first): no empty paragraph on either side', () => {
		for (const [start, offset] of [
			['Prices', 0],
			['The flooding', 'end']
		] as const) {
			const editor = openInterview();
			caretIn(editor, start, offset);
			expect(split(editor)).toBe(true);
			expect(turns(editor).map((x) => x.paragraphs)).toEqual([ORIGINAL[0].paragraphs, [ORIGINAL[1].paragraphs[0]], [ORIGINAL[1].paragraphs[1]], ORIGINAL[2].paragraphs]);
			expect(turns(editor)[2]).toMatchObject({ kind: 'answer', speaker: 'p-av' });
			expectFreshId(editor, 2);
			expect(caret(editor)).toEqual({ turn: 2, paragraph: 0, offset: 0 });
			expect(backspace(editor)).toBe(true);
			expect(turns(editor)).toEqual(ORIGINAL);
			editor.destroy();
		}
	});

	it('next to a citation: the cited words keep their citation on both sides', () => {
		const editor = openInterview();
		caretIn(editor, 'The flooding', 'The flooding cut the road, Varesh'.length);
		expect(split(editor)).toBe(true);
		expect(turns(editor)[1].paragraphs).toEqual(['The flooding cut the road, Varesh']);
		expect(turns(editor)[2].paragraphs).toEqual([' Daily reported.', 'Prices doubled[n] within a week.']);
		const cited: string[] = [];
		editor.state.doc.descendants((node) => {
			if (node.isText && node.marks.some((m) => m.type.name === 'citation')) cited.push(node.text!);
		});
		expect(cited).toEqual(['Varesh', ' Daily']);
		backspace(editor);
		backspace(editor);
		expect(turns(editor)).toEqual(ORIGINAL);
	});

	it('just before and just after an endnote: the note goes with its text, and keeps its id and its words', () => {
		const noteSize = 2 + 'Market survey, March.'.length; // the endnote node: its text between two tokens
		for (const offset of ['Prices doubled'.length, 'Prices doubled'.length + noteSize]) {
			const editor = openInterview();
			caretIn(editor, 'Prices', offset);
			expect(split(editor)).toBe(true);
			const texts = turns(editor).map((x) => x.paragraphs);
			expect(texts[1]).toEqual([ORIGINAL[1].paragraphs[0], offset === 14 ? 'Prices doubled' : 'Prices doubled[n]']);
			expect(texts[2]).toEqual([offset === 14 ? '[n] within a week.' : ' within a week.']);
			const notes: { id: string; text: string }[] = [];
			editor.state.doc.descendants((node) => {
				if (node.type.name === 'endnote') notes.push({ id: node.attrs.id, text: node.textContent });
			});
			expect(notes).toEqual([{ id: 'n-1', text: 'Market survey, March.' }]);
			backspace(editor);
			backspace(editor);
			expect(turns(editor)).toEqual(ORIGINAL);
			editor.destroy();
		}
	});

	it('with words selected: they are replaced by the split', () => {
		const editor = openInterview();
		caretIn(editor, 'What happened', 'What happened'.length);
		const from = editor.state.selection.from;
		editor.view.dispatch(editor.state.tr.setSelection(TextSelection.create(editor.state.doc, from, from + ' in the delta'.length)));
		expect(split(editor)).toBe(true);
		expect(turns(editor).slice(0, 2).map((x) => x.paragraphs)).toEqual([['What happened'], ['?']]);
	});

	it('Backspace at the start of the first turn leaves the lead-in and the turn as they are; an empty first turn goes', () => {
		const editor = openInterview();
		caretIn(editor, 'What happened', 0);
		expect(backspace(editor)).toBe(true);
		expect(turns(editor)).toEqual(ORIGINAL);
		expect(editor.state.doc.child(1).textContent).toBe('Basin Watch spoke with Anneli Varga about the delta.');
		// an empty turn before it (split at its start), then Backspace twice in that empty turn
		expect(split(editor)).toBe(true);
		caretIn(editor, 'What happened', 0);
		expect(turns(editor)[0].paragraphs).toEqual(['']);
		editor.view.dispatch(editor.state.tr.setSelection(TextSelection.create(editor.state.doc, editor.state.selection.from - 4)));
		expect(caret(editor)).toEqual({ turn: 0, paragraph: 0, offset: 0 });
		expect(backspace(editor)).toBe(true);
		expect(turns(editor)).toEqual(ORIGINAL);
		expect(editor.state.doc.child(1).textContent).toBe('Basin Watch spoke with Anneli Varga about the delta.');
		expect(editor.state.selection.$from.parent.type.name).toBe('leadIn');
	});

	it('outside a turn, Ctrl+Shift+Enter does nothing', () => {
		const editor = openInterview();
		caretIn(editor, 'Basin Watch spoke', 5);
		expect(editor.commands.splitQaBlock()).toBe(false);
	});
});
