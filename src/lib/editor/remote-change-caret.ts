import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, TextSelection, type Transaction } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';
import { getRelativeSelection, relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';

// Keeps each person's caret where they put it when another person's edit arrives.
//
// On a remote change y-tiptap rebuilds the ProseMirror document and puts the caret back from the Yjs
// relative position it took before the change, which is exact: it points at the character left of the
// caret, wherever that character has gone. But y-tiptap (3.0.9 to 3.3.0) then second-guesses that answer
// (`isMisresolvedAfterStructuralChange`, meant for blocks moved by drag and drop): whenever the text of
// the caret's paragraph changed, it looks for "the same" top-level block by its attributes and puts the
// caret at its OLD offset in it. A paragraph of an article has no attributes, so nothing is found and the
// exact answer stands; a Q&A turn (id, kind, speaker) or a heading (level) is found, so every character
// another person types before your caret in that block pushes your caret one character back, and your
// words come out reversed ("…road.n then seized two markets.statiliM"). Here, after y-tiptap's remote
// change, the caret's ends are put back where Yjs resolves them whenever that resolution is exact: the
// relative position is inside a text whose element and every ancestor are still in the document (a block
// moved by drag and drop is deleted and re-inserted, so its old text is gone and y-tiptap's recovery is
// kept for it).
//
// A click moves the browser's selection at once, but ProseMirror reads it only on `selectionchange`, a task
// the browser queues after the click. Any view update in between that redraws something (the document,
// decorations) makes ProseMirror write the selection it still holds into the DOM, over the click: the
// click is lost and the next word typed lands where the caret had been (or, before the first click, at the
// end of the document). Two such updates come while another person types:
// - their keystroke, a remote Yjs transaction: y-tiptap takes the selection to put back from ProseMirror's
//   state on the Y.Doc's `beforeAllTransactions`. So on that event (after y-tiptap's own listener), the
//   click is read first and the binding's relative selection taken again from the state that has it.
// - their caret moving, an awareness change: y-tiptap's cursor plugin does not redraw the carets at once
//   but batches awareness changes into a timeout (`setMeta`), a task of its own, and that task's
//   transaction (metadata only) redraws the carets. A click between the awareness message and that task was
//   lost (issue 12: the story failed about 1 run in 3 at load; instrumented, every lost click was this).
//   So every transaction that neither changes the document nor sets the selection (the carets' redraw,
//   comment highlights, section outlines) first reads a pending click (`dispatchTransaction` below) and
//   goes on with that selection.
// The click is read as `selectionchange` would (ProseMirror's DOM observer is flushed), only when the editor
// has focus, no composition runs and no DOM mutation is pending: the read then changes the selection and
// nothing else, so nothing is written into Yjs inside the remote transaction. And only when it IS a click:
// a press of the pointer in this editor whose selection ProseMirror has not read yet (from `pointerdown` in
// the editor to the first `selectionchange` after the pointer is released, at most 250 ms after it, or a key
// typed, or the focus leaving). Any other
// difference between the browser's selection and ProseMirror's is not the person's: focusing the editor
// from a toolbar button or a closing dialog puts the browser's caret at the start of the editor until
// ProseMirror writes its own, and a redraw read then took the caret there (the endnote of
// interview.spec's citation story landed at the start of the paragraph).
//
// The same gap after a key: Home, End, Page Up/Down and the arrows move the browser's caret natively, and
// ProseMirror reads it on the `selectionchange` that follows. A key pressed before that task has run (a
// fast typist, or a main thread busy with a long interview: the browser runs input before queued tasks)
// found ProseMirror's old caret: Home then Backspace at the start of a turn did not merge the turn (the
// command saw the caret at the end of the text), the browser's own Backspace joined the paragraphs across
// the turns, and the next Backspace deleted the endnote before the caret (seen in interview.spec's split
// and merge story). So a key pressed while a key's caret move is unread first reads it (`watchKeyMoves`).

type Binding = {
	doc: Y.Doc;
	type: Y.XmlFragment;
	mapping: Map<Y.AbstractType<any>, unknown>;
	beforeTransactionSelection: RelativeSelection | null;
	prosemirrorView: EditorView | null;
};
/** The parts of prosemirror-view's DOMObserver used here (internal: prosemirror-view 1.42). */
type DomObserver = {
	currentSelection: { eq(sel: unknown): boolean };
	pendingRecords(): readonly unknown[];
	flush(): void;
};
type RelativeSelection = { type: string; anchor: Y.RelativePosition | null; head: Y.RelativePosition | null };

/** Where Yjs puts a relative position in the current document, when that is exact (inside a live text); else null. */
function exactPosition(binding: Binding, relPos: Y.RelativePosition | null): number | null {
	if (!relPos) return null;
	const decoded = Y.createAbsolutePositionFromRelativePosition(relPos, binding.doc);
	if (!decoded || !(decoded.type instanceof Y.XmlText)) return null;
	for (let type: Y.AbstractType<any> = decoded.type; type !== binding.type; ) {
		const item = type._item;
		if (!item || item.deleted || !(item.parent instanceof Y.AbstractType)) return null;
		type = item.parent;
	}
	return relativePositionToAbsolutePosition(binding.doc, binding.type, relPos, binding.mapping as never);
}

/**
 * ProseMirror's DOM observer, when the browser holds a selection in this focused editor that ProseMirror has
 * not read yet (and could read now: no composition runs); else null.
 */
function observerWithUnreadSelection(view: EditorView): DomObserver | null {
	if (view.isDestroyed || view.composing || !view.hasFocus()) return null;
	const internals = view as unknown as { domObserver?: DomObserver; domSelectionRange(): unknown };
	const observer = internals.domObserver;
	return observer && !observer.currentSelection.eq(internals.domSelectionRange()) ? observer : null;
}

/**
 * A selection the browser holds that ProseMirror has not read yet (a click whose `selectionchange` has not
 * run) is read now, as `selectionchange` would: true if it was (the view's state has it).
 */
export function readPendingSelection(view: EditorView): boolean {
	if (!pendingClicks.has(view)) return false;
	const observer = observerWithUnreadSelection(view);
	if (!observer) return false;
	if (observer.pendingRecords().length > 0) {
		// a DOM change to read too (in a browser its MutationObserver has delivered it by now): read once this
		// event is over, not inside a remote Yjs transaction
		queueMicrotask(() => view.isDestroyed || observer.flush());
		return false;
	}
	const before = view.state;
	observer.flush();
	pendingClicks.delete(view);
	return view.state !== before;
}

/** Editors pressed by the pointer whose click ProseMirror has not read yet (see above). */
const pendingClicks = new WeakSet<EditorView>();

/** Keeps `pendingClicks` for one editor: from a press in it to the first selection read after the release. */
function watchClicks(view: EditorView): () => void {
	const document = view.dom.ownerDocument;
	let pressed = false;
	const onPointerDown = () => {
		pressed = true;
		pendingClicks.add(view);
	};
	let released: ReturnType<typeof setTimeout> | undefined;
	const forget = () => {
		clearTimeout(released);
		pendingClicks.delete(view);
	};
	const onPointerUp = () => {
		if (!pressed) return;
		pressed = false;
		// the click's `selectionchange` normally comes first and forgets it; a press that moved no selection has none
		clearTimeout(released);
		released = setTimeout(forget, 250);
	};
	// registered after ProseMirror's own listener, so it runs once ProseMirror has read this selection
	const onSelectionChange = () => pressed || forget();
	view.dom.addEventListener('pointerdown', onPointerDown, true);
	document.addEventListener('pointerup', onPointerUp, true);
	document.addEventListener('selectionchange', onSelectionChange);
	view.dom.addEventListener('keydown', forget, true);
	view.dom.addEventListener('focusout', forget);
	return () => {
		forget();
		view.dom.removeEventListener('pointerdown', onPointerDown, true);
		document.removeEventListener('pointerup', onPointerUp, true);
		document.removeEventListener('selectionchange', onSelectionChange);
		view.dom.removeEventListener('keydown', forget, true);
		view.dom.removeEventListener('focusout', forget);
	};
}

/** Keys whose caret move the browser makes and ProseMirror reads afterwards, on `selectionchange`. */
const CARET_KEYS = new Set(['Home', 'End', 'PageUp', 'PageDown', 'ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown']);

/**
 * A key pressed while the caret move of the key before it is unread (its `selectionchange` has not run) reads
 * that move first, as `selectionchange` would, before ProseMirror's own keydown handling sees the state.
 */
function watchKeyMoves(view: EditorView): () => void {
	const document = view.dom.ownerDocument;
	let unread = false;
	const onKeyDown = (event: KeyboardEvent) => {
		if (!(event.target instanceof Node) || !view.dom.contains(event.target)) return;
		if (unread) observerWithUnreadSelection(view)?.flush();
		// (a move ProseMirror makes itself, at a node's edge, writes the same selection to the DOM: nothing to read)
		unread = CARET_KEYS.has(event.key);
	};
	// registered after ProseMirror's own listener: ProseMirror has read the selection by now
	const onSelectionChange = () => (unread = false);
	// the document's capture phase: before ProseMirror's keydown handler on the editor
	document.addEventListener('keydown', onKeyDown, true);
	document.addEventListener('selectionchange', onSelectionChange);
	return () => {
		document.removeEventListener('keydown', onKeyDown, true);
		document.removeEventListener('selectionchange', onSelectionChange);
	};
}

/** On `beforeAllTransactions` of a remote Yjs transaction: the pending selection, and the binding's selection to restore taken from it. */
function beforeRemoteTransaction(binding: Binding, doc: Y.Doc): void {
	const view = binding.prosemirrorView;
	const transaction = (doc as unknown as { _transaction: Y.Transaction | null })._transaction;
	if (!view || !transaction || transaction.local) return;
	if (readPendingSelection(view)) binding.beforeTransactionSelection = getRelativeSelection(binding as never, view.state) as RelativeSelection;
}

export const remoteChangeCaretKey = new PluginKey('remoteChangeCaret');

/** Add with Collaboration: see above. */
export const RemoteChangeCaret = Extension.create({
	name: 'remoteChangeCaret',
	// A transaction that neither changes the document nor sets the selection (another person's caret redrawn,
	// comment highlights, section outlines) still makes ProseMirror write its selection into the DOM: a click
	// it has not read yet is read first, and the transaction goes on with that selection.
	dispatchTransaction({ transaction, next }) {
		if (this.editor.isDestroyed) return next(transaction);
		const view = this.editor.view;
		if (transaction.steps.length > 0 || transaction.selectionSet || transaction.before !== view.state.doc) return next(transaction);
		if (!readPendingSelection(view)) return next(transaction);
		if (view.state.doc === transaction.doc) return next(transaction.setSelection(view.state.selection));
		// the selection's transaction changed the document too (a plugin appended a change): the same metadata on a transaction from now
		const again = view.state.tr;
		for (const [key, value] of Object.entries((transaction as unknown as { meta: Record<string, unknown> }).meta)) again.setMeta(key, value);
		next(again);
	},
	addProseMirrorPlugins() {
		return [
			new Plugin({
				key: remoteChangeCaretKey,
				view: (view) => {
					const unwatchClicks = watchClicks(view);
					const unwatchKeys = watchKeyMoves(view);
					const unwatch = () => {
						unwatchClicks();
						unwatchKeys();
					};
					const binding = ySyncPluginKey.getState(view.state)?.binding as Binding | undefined;
					if (!binding) return { destroy: unwatch };
					const doc = binding.doc;
					const onBefore = () => beforeRemoteTransaction(binding, doc);
					doc.on('beforeAllTransactions', onBefore);
					return {
						destroy: () => {
							unwatch();
							doc.off('beforeAllTransactions', onBefore);
						}
					};
				},
				appendTransaction: (transactions: readonly Transaction[], _old, state) => {
					const remote = transactions.some((tr) => tr.docChanged && tr.getMeta(ySyncPluginKey)?.isChangeOrigin);
					if (!remote) return null;
					const binding = ySyncPluginKey.getState(state)?.binding as Binding | undefined;
					const relSel = binding?.beforeTransactionSelection;
					if (!binding || !relSel || relSel.type !== 'text') return null;
					const anchor = exactPosition(binding, relSel.anchor);
					const head = exactPosition(binding, relSel.head);
					if (anchor === null || head === null) return null;
					const size = state.doc.content.size;
					if (anchor > size || head > size) return null;
					const { selection } = state;
					if (selection.anchor === anchor && selection.head === head) return null;
					const $anchor = state.doc.resolve(anchor);
					const $head = state.doc.resolve(head);
					if (!$anchor.parent.inlineContent || !$head.parent.inlineContent) return null;
					return state.tr.setSelection(TextSelection.between($anchor, $head)).setMeta('addToHistory', false);
				}
			})
		];
	}
});

