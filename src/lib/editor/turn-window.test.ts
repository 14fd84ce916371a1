// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { Editor, type JSONContent } from '@tiptap/core';
import { TextSelection } from '@tiptap/pm/state';
import { editorExtensions } from './extensions';
import { CARET_CLASS, TurnWindow, WINDOW_AFTER, turnWindowKey } from './turn-window';
import { interviewDocument } from '../../../tests/support/interview-document';

// A long interview renders only the turns near the screen (turn-window.ts): which turns are left to the browser.

const turns = (n: number): JSONContent[] =>
	Array.from({ length: n }, (_, i) => ({
		type: 'qaBlock',
		attrs: { id: `t-${i}`, kind: i % 2 ? 'answer' : 'question', speaker: i % 2 ? 'p-av' : 'p-bw' },
		content: [{ type: 'paragraph', content: [{ type: 'text', text: `Turn ${i}: the wardens came back to Halm.` }] }]
	}));

let editor: Editor | null = null;
afterEach(() => {
	editor?.destroy();
	editor = null;
});
function open(n: number) {
	editor = new Editor({ element: document.createElement('div'), extensions: [...editorExtensions, TurnWindow], content: interviewDocument(turns(n)) });
	return editor;
}
/** The indices (t-<i>) of the turns the browser renders itself (marked near). */
const near = (ed: Editor) => [...ed.view.dom.querySelectorAll('.qa-block.turn-near')].map((el) => Number(el.getAttribute('data-id')!.slice(2)));
const posOfTurn = (ed: Editor, i: number) => {
	let at = -1;
	ed.state.doc.forEach((node, pos) => {
		if (node.attrs.id === `t-${i}`) at = pos;
	});
	return at;
};

describe('the turns a long interview renders (turn-window.ts)', () => {
	it('marks the turns of the window and the caret’s turn near, and the editor windowed, in an interview of 450 turns', () => {
		const ed = open(450);
		expect(ed.view.dom.classList.contains('turns-windowed')).toBe(true);
		// the window starts at the top: the participants and the lead-in are blocks 0 and 1, the turns follow
		expect(near(ed)).toEqual(Array.from({ length: WINDOW_AFTER - 1 }, (_, i) => i));
		ed.view.dispatch(ed.state.tr.setSelection(TextSelection.create(ed.state.doc, posOfTurn(ed, 440) + 3)));
		expect(near(ed)).toContain(440);
		expect(near(ed)).toHaveLength(WINDOW_AFTER);
	});

	it('moves the window where it is told, keeping the caret’s turn', () => {
		const ed = open(450);
		ed.view.dispatch(ed.state.tr.setSelection(TextSelection.create(ed.state.doc, posOfTurn(ed, 3) + 3)));
		ed.view.dispatch(ed.state.tr.setMeta(turnWindowKey, { first: 300, last: 320 }));
		expect(near(ed)).toEqual([3, ...Array.from({ length: 21 }, (_, i) => 298 + i)]);
	});

	it('renders a turn made inside the window (a split), and still the turns typed in', () => {
		const ed = open(450);
		const pos = posOfTurn(ed, 10);
		ed.view.dispatch(ed.state.tr.setSelection(TextSelection.create(ed.state.doc, pos + 8)));
		expect(ed.commands.splitQaBlock()).toBe(true);
		ed.view.dispatch(ed.state.tr.insertText('x', ed.state.selection.head));
		const shown = [...ed.view.dom.querySelectorAll('.qa-block')].slice(0, 20);
		expect(shown.every((el) => el.classList.contains('turn-near'))).toBe(true);
		expect(shown[11].textContent).toMatch(/^x/);
	});

	it('leaves a short interview to the browser', () => {
		const ed = open(100);
		expect(ed.view.dom.classList.contains('turns-windowed')).toBe(false);
		expect(near(ed)).toEqual([]);
	});

	// A turn just put into the page with `content-visibility: auto` has its contents skipped until the browser's
	// next frame, and a key typed before it went into the turn after: the new turn of an Enter must carry the
	// caret's mark (never `auto`, app.css) when it comes into the page, in the Enter's own update.
	it('marks the turn holding the caret, in the update that puts the caret there: the new turn of an Enter, in a short interview too', () => {
		const ed = open(5);
		const caretTurns = () => [...ed.view.dom.querySelectorAll(`.qa-block.${CARET_CLASS}`)];
		ed.view.dispatch(ed.state.tr.setSelection(TextSelection.create(ed.state.doc, posOfTurn(ed, 1) + 3)));
		expect(caretTurns().map((el) => el.getAttribute('data-id'))).toEqual(['t-1']);
		const sections: Element[] = [];
		const watch = new MutationObserver((records) => records.forEach((r) => r.addedNodes.forEach((n) => n instanceof Element && sections.push(n))));
		watch.observe(ed.view.dom, { childList: true });
		ed.commands.setTextSelection(posOfTurn(ed, 1) + ed.state.doc.nodeAt(posOfTurn(ed, 1))!.nodeSize - 2); // the end of its text
		ed.view.dom.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
		const added = watch.takeRecords().flatMap((r) => [...r.addedNodes]).concat(sections);
		watch.disconnect();
		// the new empty turn, after turn 1, holds the caret and came into the page marked
		expect(added).toHaveLength(1);
		const turn = added[0] as HTMLElement;
		expect(turn.textContent).toBe('');
		expect(turn.previousElementSibling?.getAttribute('data-id')).toBe('t-1');
		const { node: caretNode } = ed.view.domAtPos(ed.state.selection.head);
		expect((caretNode instanceof Element ? caretNode : caretNode.parentElement)!.closest('.qa-block')).toBe(turn);
		expect(caretTurns()).toEqual([turn]);
		// typed into: still the caret's turn, the only one marked
		ed.view.dispatch(ed.state.tr.insertText('Turn 1 on the weirs.'));
		expect(caretTurns()).toEqual([turn]);
		expect(turn.textContent).toBe('Turn 1 on the weirs.');
	});

	it('renders every turn after Ctrl+F, until the next key typed into the page', () => {
		const ed = open(450);
		dispatchEvent(new KeyboardEvent('keydown', { key: 'f', ctrlKey: true }));
		expect(ed.view.dom.classList.contains('turns-windowed')).toBe(false);
		dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }));
		expect(ed.view.dom.classList.contains('turns-windowed')).toBe(true);
	});
});
