// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Editor } from '@tiptap/core';
import { useCollaborativeEditors } from '../../../tests/support/collaborative-editors';
import { participantsOf } from './interview';
import type { Participant } from './participants';
import { pieceTemplate } from '../domain/templates';
import { yjsStateFromJSON } from '../server/content/document';

// Two people edit different participants at the same moment: both edits must survive the merge.

const collaborativeEditor = useCollaborativeEditors();

/** Two copies of a new interview, each with its editor, not yet exchanging updates. */
function twoCopies(initial: Uint8Array = yjsStateFromJSON(pieceTemplate('interview'))) {
	const a = new Y.Doc();
	const b = new Y.Doc();
	Y.applyUpdate(a, initial);
	Y.applyUpdate(b, initial);
	return { a, b, editorA: collaborativeEditor(a), editorB: collaborativeEditor(b) };
}

/** Exchange what each copy has that the other lacks (both ways), as a reconnect would. */
function exchange(a: Y.Doc, b: Y.Doc) {
	const fromA = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
	const fromB = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
	Y.applyUpdate(b, fromA);
	Y.applyUpdate(a, fromB);
}

const edit = (editor: Editor, id: string, patch: Partial<Participant>) =>
	editor.commands.setParticipants(participantsOf(editor.state.doc).map((p) => (p.id === id ? { ...p, ...patch } : p)));

describe('concurrent edits of different participants', () => {
	it('keeps a rename of one participant and a relabel of the other', () => {
		const { a, b, editorA, editorB } = twoCopies();
		expect(edit(editorA, 'p-guest', { name: 'Anneli Varga' })).toBe(true);
		expect(edit(editorB, 'p-interviewer', { label: 'MH' })).toBe(true);
		exchange(a, b);
		const expected = [
			{ id: 'p-interviewer', name: 'Basin Watch', label: 'MH', role: 'interviewer', contributorId: null },
			{ id: 'p-guest', name: 'Anneli Varga', label: 'G', role: 'interviewee', contributorId: null }
		];
		expect(participantsOf(editorA.state.doc)).toEqual(expected);
		expect(participantsOf(editorB.state.doc)).toEqual(expected);
	});

	it('keeps a rename and a contributor link made at the same moment, even on the same participant', () => {
		const { a, b, editorA, editorB } = twoCopies();
		expect(edit(editorA, 'p-interviewer', { name: 'Maren Holt' })).toBe(true);
		expect(editorB.commands.linkParticipant('p-guest', { id: 'c-av', name: 'Anneli Varga' })).toBe(true);
		// A second pair: one renames the guest while the other links the same guest (different attributes).
		expect(edit(editorA, 'p-guest', { label: 'AV' })).toBe(true);
		exchange(a, b);
		for (const editor of [editorA, editorB]) {
			expect(participantsOf(editor.state.doc)).toEqual([
				{ id: 'p-interviewer', name: 'Maren Holt', label: 'BW', role: 'interviewer', contributorId: null },
				{ id: 'p-guest', name: 'Guest', label: 'AV', role: 'interviewee', contributorId: 'c-av' }
			]);
		}
	});

	it('keeps a participant added by one while the other renames an existing one', () => {
		const { a, b, editorA, editorB } = twoCopies();
		expect(edit(editorA, 'p-guest', { name: 'Anneli Varga', label: 'AV' })).toBe(true);
		const added: Participant = { id: 'p-second', name: 'Second guest', label: 'SG', role: 'interviewee', contributorId: null };
		expect(editorB.commands.setParticipants([...participantsOf(editorB.state.doc), added])).toBe(true);
		exchange(a, b);
		for (const editor of [editorA, editorB]) {
			expect(participantsOf(editor.state.doc).map((p) => [p.id, p.name, p.label])).toEqual([
				['p-interviewer', 'Basin Watch', 'BW'],
				['p-guest', 'Anneli Varga', 'AV'],
				['p-second', 'Second guest', 'SG']
			]);
		}
	});

	it('keeps a rename when another removes a different participant', () => {
		const { a, b, editorA, editorB } = twoCopies();
		expect(edit(editorA, 'p-interviewer', { name: 'Maren Holt' })).toBe(true);
		expect(editorB.commands.setParticipants(participantsOf(editorB.state.doc).filter((p) => p.id !== 'p-guest'))).toBe(true);
		exchange(a, b);
		for (const editor of [editorA, editorB]) {
			expect(participantsOf(editor.state.doc).map((p) => [p.id, p.name])).toEqual([['p-interviewer', 'Maren Holt']]);
		}
	});
});
