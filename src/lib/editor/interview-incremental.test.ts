// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Editor, JSONContent } from '@tiptap/core';
import type { Node as PmNode } from '@tiptap/pm/model';
import { TextSelection } from '@tiptap/pm/state';
import { useCollaborativeEditors } from '../../../tests/support/collaborative-editors';
import { participantsOf } from './interview';
import { endnotesOf } from './endnote';
import { participantLabel } from './participants';
import { yjsStateFromJSON } from '../server/content/document';
import { interviewDocument } from '../../../tests/support/interview-document';

// A long interview stays quick because work per change is proportional to the change: a remote keystroke
// keeps every other turn's ProseMirror node (y-sync.ts), the labels are redrawn only where the document
// changed (qa-block.ts), the endnotes are searched only in changed turns (endnote.ts). Each must still show
// exactly what a full recomputation would.

const collaborativeEditor = useCollaborativeEditors();

function interview(turns: number): JSONContent {
	const content: JSONContent[] = [];
	for (let i = 0; i < turns; i++) {
		const text = i % 2 ? `Answer ${i}: the wardens came back to Halm.` : `Question ${i}: who holds the weirs?`;
		const inline: JSONContent[] = [{ type: 'text', text }];
		if (i === 5) inline.push({ type: 'endnote', attrs: { id: 'n-halm' }, content: [{ type: 'text', text: 'Basin council minutes.' }] });
		content.push({ type: 'qaBlock', attrs: { id: `q${i}`, kind: i % 2 ? 'answer' : 'question', speaker: i % 2 ? 'p-av' : 'p-bw' }, content: [{ type: 'paragraph', content: inline }] });
	}
	return interviewDocument(content, null);
}

function twoCopies(turns = 40) {
	const initial = yjsStateFromJSON(interview(turns));
	const a = new Y.Doc();
	const b = new Y.Doc();
	Y.applyUpdate(a, initial);
	Y.applyUpdate(b, initial);
	// live: every update of one copy reaches the other at once
	a.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(b, u, 'remote'));
	b.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(a, u, 'remote'));
	return { editorA: collaborativeEditor(a), editorB: collaborativeEditor(b) };
}

/** Type `text` at the end of the first paragraph of turn `n` (0-based among the Q&A blocks). */
function typeInTurn(editor: Editor, n: number, text: string) {
	let target = -1;
	let seen = 0;
	editor.state.doc.forEach((node, offset) => {
		if (node.type.name === 'qaBlock' && seen++ === n) target = offset + 1 + node.firstChild!.nodeSize - 1;
	});
	const tr = editor.state.tr.setSelection(TextSelection.create(editor.state.doc, target)).insertText(text);
	editor.view.dispatch(tr);
}

/** What the labels must be: one `data-label` per turn and `LABEL:` on its first paragraph, from the participants. */
function expectedLabels(doc: PmNode): string[] {
	const list = participantsOf(doc);
	const out: string[] = [];
	doc.forEach((node) => {
		if (node.type.name === 'qaBlock') out.push(`${participantLabel(list, node.attrs.speaker)}:`);
	});
	return out;
}
const shownLabels = (editor: Editor) => [...editor.view.dom.querySelectorAll('.qa-block > p:first-child')].map((p) => p.getAttribute('data-label'));

describe('a long interview, changed by two people', () => {
	it('keeps the ProseMirror node of every turn the other person did not touch (a remote keystroke rebuilds only its turn)', () => {
		const { editorA, editorB } = twoCopies();
		// (the editor's own trailing empty paragraph, which is not in the Yjs document, is left out)
		const nodes = () => {
			const out: PmNode[] = [];
			editorB.state.doc.forEach((n) => n.type.name !== 'paragraph' && out.push(n));
			return out;
		};
		const before = nodes();
		typeInTurn(editorA, 7, ' Twice.');
		const after = nodes();
		expect(editorB.state.doc.textContent).toContain('Answer 7: the wardens came back to Halm. Twice.');
		expect(after).toHaveLength(41);
		const kept = after.filter((n, i) => n === before[i]).length;
		expect(kept).toBe(40); // all but turn 7 (index 8, after the participants)
		expect(after[8]).not.toBe(before[8]);
	});

	it('shows the right label on every turn after local and remote typing, new turns, a swapped speaker, a deleted turn and a rename', () => {
		const { editorA, editorB } = twoCopies();
		const check = () => {
			for (const editor of [editorA, editorB]) expect(shownLabels(editor)).toEqual(expectedLabels(editor.state.doc));
		};
		check();
		typeInTurn(editorA, 3, ' Yes.');
		typeInTurn(editorB, 10, ' No.');
		check();
		// a new turn after turn 4, by Enter at its end
		typeInTurn(editorA, 4, '');
		expect(editorA.commands.keyboardShortcut('Enter')).toBe(true);
		editorA.commands.insertContent('A new question.');
		check();
		// the speaker of turn 6 swapped by the other person
		typeInTurn(editorB, 6, '');
		expect(editorB.commands.swapSpeaker()).toBe(true);
		check();
		// a whole turn deleted
		let from = -1;
		let to = -1;
		let seen = 0;
		editorA.state.doc.forEach((node, offset) => {
			if (node.type.name === 'qaBlock' && seen++ === 12) [from, to] = [offset, offset + node.nodeSize];
		});
		editorA.view.dispatch(editorA.state.tr.delete(from, to));
		check();
		// a rename relabels every turn of that participant, on both screens
		expect(editorB.commands.updateParticipant('p-av', { label: 'VA' })).toBe(true);
		check();
		expect(shownLabels(editorA)).toContain('VA:');
		expect(shownLabels(editorA)).not.toContain('AV:');
	});

	it('numbers the endnotes as a full search would after typing before, in and after them', () => {
		const { editorA, editorB } = twoCopies();
		const full = (doc: PmNode) => {
			const out: { id: string; pos: number }[] = [];
			doc.descendants((node, pos) => {
				if (node.type.name !== 'endnote') return true;
				out.push({ id: String(node.attrs.id), pos });
				return false;
			});
			return out;
		};
		typeInTurn(editorA, 2, ' Before the note.');
		typeInTurn(editorB, 9, ' After the note.');
		editorA.commands.setTextSelection(editorA.state.doc.content.size - 3);
		typeInTurn(editorA, 20, '');
		editorA.commands.insertEndnote('Talmari patrol log.');
		for (const editor of [editorA, editorB]) {
			const entries = endnotesOf(editor.state.doc);
			expect(entries.map((e) => ({ id: e.id, pos: e.pos }))).toEqual(full(editor.state.doc));
			expect(entries.map((e) => e.number)).toEqual([1, 2]);
			expect(entries.map((e) => e.note)).toEqual(['Basin council minutes.', 'Talmari patrol log.']);
		}
	});

	it('writes a keystroke in one turn to Yjs without listing the whole document, and does nothing for a caret move', () => {
		const initial = yjsStateFromJSON(interview(200) as never);
		const a = new Y.Doc();
		Y.applyUpdate(a, initial);
		const editor = collaborativeEditor(a);
		const body = a.getXmlFragment('body');
		typeInTurn(editor, 100, ' Once.'); // the first write after opening compares the whole document
		const listed: Y.XmlFragment[] = [];
		const toArray = Y.XmlFragment.prototype.toArray;
		Y.XmlFragment.prototype.toArray = function (this: Y.XmlFragment) {
			listed.push(this);
			return toArray.call(this);
		};
		const updates: Uint8Array[] = [];
		a.on('update', (u: Uint8Array) => updates.push(u));
		try {
			typeInTurn(editor, 150, ' Twice.');
			editor.commands.setTextSelection(20); // a caret move: nothing to write
		} finally {
			Y.XmlFragment.prototype.toArray = toArray;
		}
		expect(listed).not.toContain(body); // y-tiptap's own write lists all 201 top-level elements per update of the view
		expect(updates).toHaveLength(1);
		const turn = body.get(151) as Y.XmlElement; // after the participants
		expect(turn.toString()).toContain('Question 150: who holds the weirs? Twice.');
	});

	it('keeps Yjs equal to what each screen shows through single-turn typing, Enter, deletions and remote edits', () => {
		const { editorA, editorB } = twoCopies(30);
		for (let round = 0; round < 12; round++) {
			typeInTurn(editorA, (round * 7) % 30, ` a${round}`);
			typeInTurn(editorB, (round * 11) % 30, ` b${round}`);
			if (round % 4 === 1) {
				typeInTurn(editorA, round, '');
				expect(editorA.commands.keyboardShortcut('Enter')).toBe(true);
				editorA.commands.insertContent(`New ${round}.`);
			}
			if (round % 4 === 3) editorB.commands.deleteRange({ from: 40, to: 45 });
		}
		expect(editorB.state.doc.toJSON()).toEqual(editorA.state.doc.toJSON());
		// a third screen opened on either copy shows exactly the same document
		for (const editor of [editorA, editorB]) {
			const ydoc = new Y.Doc();
			Y.applyUpdate(ydoc, Y.encodeStateAsUpdate((editor.extensionManager.extensions.find((e) => e.name === 'collaboration')!.options as { document: Y.Doc }).document));
			const third = collaborativeEditor(ydoc);
			expect(third.state.doc.toJSON()).toEqual(editor.state.doc.toJSON());
		}
	});
});
