// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Editor, type JSONContent } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { absolutePositionToRelativePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import { TextSelection } from '@tiptap/pm/state';
import { editorExtensions } from './extensions';
import { RemoteChangeCaret } from './remote-change-caret';
import './y-sync';
import { BODY_FRAGMENT, yjsStateFromJSON } from '../server/content/document';
import { interviewDocument } from '../../../tests/support/interview-document';

// A click moves the browser's selection at once; ProseMirror reads it on `selectionchange`, later. Another
// person's edit arriving in between must not put the caret back where it was before the click (see
// remote-change-caret.ts). Here the click is the DOM selection moved with ProseMirror's selection listener
// disconnected (its `selectionchange` still to come), then the other person's keystroke is applied.

const p = (t: string): JSONContent => ({ type: 'paragraph', content: [{ type: 'text', text: t }] });
const INTERVIEW = interviewDocument([
	{ type: 'qaBlock', attrs: { id: 'q-1', kind: 'question', speaker: 'p-bw' }, content: [p('What happened in the delta?')] },
	{ type: 'qaBlock', attrs: { id: 'q-2', kind: 'answer', speaker: 'p-av' }, content: [p('The flooding cut the road.')] },
	{ type: 'qaBlock', attrs: { id: 'q-3', kind: 'answer', speaker: 'p-av' }, content: [p('Prices doubled within a week.')] }
]);

function editorOn(doc: Y.Doc, awareness?: Awareness): Editor {
	const element = document.createElement('div');
	document.body.appendChild(element);
	const carets = awareness ? [CollaborationCaret.configure({ provider: { awareness, on() {}, off() {} }, user: { name: 'Bea Berger', color: '#2a6f97' } })] : [];
	return new Editor({ element, extensions: [...editorExtensions, Collaboration.configure({ document: doc, field: BODY_FRAGMENT }), RemoteChangeCaret, ...carets] });
}

/** The DOM text node and offset `after` ends at, in the paragraph whose text starts with `start`. */
function domPoint(editor: Editor, start: string, after: string): [Node, number] {
	const para = [...editor.view.dom.querySelectorAll('p')].find((el) => el.textContent!.startsWith(start))!;
	const walker = document.createTreeWalker(para, NodeFilter.SHOW_TEXT);
	for (let node = walker.nextNode(); node; node = walker.nextNode()) {
		const at = node.textContent!.indexOf(after);
		if (at >= 0) return [node, at + after.length];
	}
	throw new Error(`no ${after}`);
}

const textblocks = (editor: Editor) => {
	const out: string[] = [];
	editor.state.doc.descendants((node) => {
		if (node.isTextblock) out.push(node.textContent);
		return !node.isTextblock;
	});
	return out;
};

/** Two Y.Docs kept in sync as the server would relay them. */
function twoDocs(): [Y.Doc, Y.Doc] {
	const initial = yjsStateFromJSON(INTERVIEW);
	const mine = new Y.Doc();
	const theirs = new Y.Doc();
	Y.applyUpdate(mine, initial);
	Y.applyUpdate(theirs, initial);
	theirs.on('update', (u: Uint8Array, origin: unknown) => origin !== 'network' && Y.applyUpdate(mine, u, 'network'));
	mine.on('update', (u: Uint8Array, origin: unknown) => origin !== 'network' && Y.applyUpdate(theirs, u, 'network'));
	return [mine, theirs];
}

/** The position at the end of the textblock whose text starts with `start`. */
function endOf(editor: Editor, start: string): number {
	let end = -1;
	editor.state.doc.descendants((node, pos) => {
		if (node.isTextblock && node.textContent.startsWith(start)) end = pos + 1 + node.content.size;
		return !node.isTextblock;
	});
	expect(end).toBeGreaterThan(0);
	return end;
}

/** I type a word: it lands after "The flooding", where I clicked, on both screens, and the other person's " Yes." too. */
function typeAfterTheClick(me: Editor, them: Editor) {
	me.view.dispatch(me.state.tr.insertText(' first'));
	for (const editor of [me, them]) expect(textblocks(editor)).toContain('The flooding first cut the road.');
	expect(textblocks(them)).toContain('Prices doubled within a week. Yes.');
}

type Observer = { flush(): void; disconnectSelection(): void; connectSelection(): void };

describe('a click while another person types', () => {
	it('the word typed after the click lands where the click was, though the other person’s keystroke arrived before ProseMirror read the click', () => {
		const [mine, theirs] = twoDocs();
		const me = editorOn(mine);
		const them = editorOn(theirs);
		try {
			// my caret at the end of the document; the other person's at the end of the last answer
			me.view.focus();
			me.commands.setTextSelection(me.state.doc.content.size - 1);
			them.view.dispatch(them.state.tr.setSelection(TextSelection.create(them.state.doc, endOf(them, 'Prices'))));

			// the click: the browser's selection moves after "The flooding"; ProseMirror has not read it yet
			const observer = (me.view as unknown as { domObserver: Observer }).domObserver;
			observer.flush(); // what the browser's MutationObserver delivers before the next task
			observer.disconnectSelection();
			const [node, offset] = domPoint(me, 'The flooding', 'The flooding');
			me.view.dom.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
			document.getSelection()!.collapse(node, offset);
			// the other person's keystroke arrives
			them.view.dispatch(them.state.tr.insertText(' Yes.'));
			observer.connectSelection();

			typeAfterTheClick(me, them);
		} finally {
			me.destroy();
			them.destroy();
		}
	});

	it('the word typed after the click lands where the click was, though the other person’s caret was redrawn (a task after their caret moved) before ProseMirror read the click', async () => {
		const [mine, theirs] = twoDocs();
		const myAwareness = new Awareness(mine);
		const me = editorOn(mine, myAwareness);
		const them = editorOn(theirs);
		// the other person's caret, as the server relays their awareness
		const theirAwareness = new Awareness(theirs);
		theirAwareness.setLocalStateField('user', { name: 'Anneli Varga', color: '#8a3ffc' });
		const moveTheirCaret = (pos: number) => {
			const binding = ySyncPluginKey.getState(them.state)!.binding;
			const at = absolutePositionToRelativePosition(pos, binding.type, binding.mapping);
			theirAwareness.setLocalStateField('cursor', { anchor: at, head: at });
			const update = encodeAwarenessUpdate(theirAwareness, [theirs.clientID]);
			applyAwarenessUpdate(myAwareness, update, 'network');
		};
		try {
			me.view.focus();
			me.commands.setTextSelection(me.state.doc.content.size - 1);
			moveTheirCaret(endOf(them, 'Prices'));
			await new Promise((resolve) => setTimeout(resolve, 10)); // their caret drawn here

			// the other person types a word: their keystroke and their caret's move arrive; the caret is redrawn
			// in a task of its own (y-tiptap batches awareness changes into a timeout)
			them.view.dispatch(them.state.tr.insertText(' Yes.', endOf(them, 'Prices')));
			moveTheirCaret(endOf(them, 'Prices'));
			// the click before that task: the browser's selection moves after "The flooding"; ProseMirror has not read it
			const observer = (me.view as unknown as { domObserver: Observer }).domObserver;
			observer.flush();
			observer.disconnectSelection();
			const [node, offset] = domPoint(me, 'The flooding', 'The flooding');
			me.view.dom.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
			document.getSelection()!.collapse(node, offset);
			await new Promise((resolve) => setTimeout(resolve, 10)); // the redraw
			observer.connectSelection();
			observer.flush(); // the click's `selectionchange`

			typeAfterTheClick(me, them);
		} finally {
			me.destroy();
			them.destroy();
			myAwareness.destroy();
			theirAwareness.destroy();
		}
	});
});

describe('a key pressed before the caret move of the key before it is read', () => {
	it('Home then Backspace at the start of a turn merges the turn, though ProseMirror had not read Home’s move yet', () => {
		const [mine] = twoDocs();
		const me = editorOn(mine);
		try {
			// my caret at the end of the second answer, "Prices doubled within a week."
			me.view.focus();
			me.commands.setTextSelection(endOf(me, 'Prices'));
			// Home: the browser moves its caret to the start of the line; its `selectionchange` is still to come
			const notYet = (e: Event) => e.stopImmediatePropagation();
			window.addEventListener('selectionchange', notYet, true);
			me.view.dom.dispatchEvent(new KeyboardEvent('keydown', { key: 'Home', bubbles: true, cancelable: true }));
			const [node] = domPoint(me, 'Prices', 'Prices');
			document.getSelection()!.collapse(node, 0);
			// Backspace at once: the turn merges into the one before it, as a paragraph of its own
			me.view.dom.dispatchEvent(new KeyboardEvent('keydown', { key: 'Backspace', keyCode: 8, bubbles: true, cancelable: true }));
			window.removeEventListener('selectionchange', notYet, true);
			const turns: string[][] = [];
			me.state.doc.descendants((n) => {
				if (n.type.name === 'qaBlock') turns.push(n.content.content.map((c) => c.textContent));
				return n.type.name !== 'qaBlock';
			});
			expect(turns).toEqual([['What happened in the delta?'], ['The flooding cut the road.', 'Prices doubled within a week.']]);
		} finally {
			me.destroy();
		}
	});
});
