// How a change from another person reaches the editor, kept proportional to the change.
//
// @tiptap/y-tiptap 3.0.9's binding turns every remote Yjs change into ProseMirror by rebuilding the whole
// document from Yjs: `_typeChanged` clears its Yjs → ProseMirror node cache (`mapping.clear()`) before
// converting every top-level element again. On a 1 MB interview that is tens of milliseconds of work, a
// whole-document diff in the view and a document full of new nodes for every plugin, per keystroke of
// anyone else. y-prosemirror, which it forks, keeps the cache: it drops only the types the Yjs transaction
// changed (and their ancestors, and what it deleted), which the same `_typeChanged` does just before the
// clear, so unchanged turns keep their ProseMirror nodes (same objects: nothing to diff, nothing to redraw).
//
// `installIncrementalYSync` makes that `mapping.clear()` a no-op for the duration of `_typeChanged` (not in
// snapshot rendering, which Galley does not use and which really needs it). Positions of carets and the
// selection are still resolved through the mapping, whose entries are then the nodes of the new document.
// The transaction it dispatches still replaces the whole document in one step, which makes every plugin
// that looks at changed ranges (UniqueID, the link autolinker, decorations, carets) look at all of it: it
// is narrowed to the part that differs (`narrowRemoteTransaction`), and its request to scroll the caret into
// view is answered in the next animation frame (`keepSelectionInView`), not by a forced layout per change.
//
// The other way, a local change reaches Yjs through `_prosemirrorChanged(doc)`, which y-tiptap calls on
// EVERY update of the view (a caret move, another person's caret arriving, each remote change's own
// redraw) and which diffs the whole document against the Yjs fragment: on 7,000 turns a few milliseconds
// each time, several times per keystroke. The binding here remembers the document Yjs last matched (after
// its own write, and after a remote change: `synced`); a document that is still that one is not diffed
// again, and one that differs from it in exactly one top-level node, of the same type, whose Yjs element is
// still mapped to the old node, is written by diffing that node alone (`updateYFragment` on that element:
// the rest of the document is the same node objects, which Yjs already holds). Anything else (nodes added,
// removed, moved, or no known match) goes to y-tiptap's whole-document diff as before.
// Imported by the browser editor (PieceEditor) and the test editors (collaborative-editors.ts).
import { ProsemirrorBinding, getRelativeSelection, updateYFragment, ySyncPluginKey } from '@tiptap/y-tiptap';
import type { Node as PmNode } from '@tiptap/pm/model';
import * as Y from 'yjs';
import { Selection, type EditorState, type Transaction } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';

type Binding = {
	doc: Y.Doc;
	type: Y.XmlFragment;
	mapping: Map<unknown, unknown>;
	prosemirrorView: EditorView | null;
	beforeTransactionSelection: unknown;
	_typeChanged: (...args: unknown[]) => void;
	_prosemirrorChanged: (doc: PmNode) => void;
};

/** Per binding: the ProseMirror document the Yjs fragment last matched (written by it, or rebuilt from it). */
const synced = new WeakMap<Binding, PmNode>();

/** The index of the one top-level node in which `doc` differs from `prev` (same count, same type), or null. */
export function singleChangedChild(prev: PmNode, doc: PmNode): number | null {
	if (prev.childCount !== doc.childCount) return null;
	let changed: number | null = null;
	for (let i = 0; i < doc.childCount; i++) {
		if (prev.child(i) === doc.child(i)) continue;
		if (changed !== null || prev.child(i).type !== doc.child(i).type) return null;
		changed = i;
	}
	return changed;
}

/**
 * The binding's transaction (one step replacing the whole document) as one step replacing only what
 * differs: every plugin then sees the change where it is (UniqueID, the link autolinker and the labels
 * look at the changed ranges; decorations and carets map through it). The document, selection, stored
 * marks and metadata are the binding's; if the narrowed step does not give the same document, the
 * binding's transaction is used as it is.
 */
export function narrowRemoteTransaction(state: EditorState, tr: Transaction): Transaction {
	if (tr.steps.length !== 1 || tr.before !== state.doc) return tr;
	const a = state.doc.content;
	const b = tr.doc.content;
	const out = state.tr;
	const start = a.findDiffStart(b);
	if (start != null) {
		let { a: endA, b: endB } = a.findDiffEnd(b)!;
		const overlap = start - Math.min(endA, endB);
		if (overlap > 0) {
			endA += overlap;
			endB += overlap;
		}
		try {
			out.replace(start, endA, tr.doc.slice(start, endB));
		} catch {
			return tr;
		}
		if (!out.doc.eq(tr.doc)) return tr;
	}
	out.setSelection(Selection.fromJSON(out.doc, tr.selection.toJSON()));
	if (tr.storedMarksSet) out.setStoredMarks(tr.storedMarks);
	const meta = (tr as unknown as { meta: Record<string, unknown> }).meta;
	for (const key of Object.keys(meta)) out.setMeta(key, meta[key]);
	out.setTime(tr.time);
	// not `scrollIntoView`: see keepSelectionInView
	return out;
}

/**
 * y-tiptap asks for the selection to be scrolled into view with every remote change while the local caret
 * is on screen, and ProseMirror does that in the change's own task by measuring the caret (a forced layout
 * of the whole editor: about 5 ms per change at 7,000 turns, a fifth of a remote change's cost in a
 * profile). The measure is taken in the next animation frame instead, once for all the changes before it,
 * when the frame lays the page out anyway; only a caret that the changes pushed off the screen is scrolled
 * to (the browser's scroll anchoring keeps what is on screen in place otherwise).
 */
const pendingScroll = new WeakSet<EditorView>();
export function keepSelectionInView(view: EditorView): void {
	if (pendingScroll.has(view) || typeof requestAnimationFrame !== 'function') return;
	pendingScroll.add(view);
	requestAnimationFrame(() => {
		pendingScroll.delete(view);
		if (view.isDestroyed || !view.hasFocus()) return;
		let rect: { top: number; bottom: number };
		try {
			rect = view.coordsAtPos(view.state.selection.head);
		} catch {
			return;
		}
		const height = window.innerHeight || document.documentElement.clientHeight;
		if (rect.bottom > height || rect.top < 0) view.dispatch(view.state.tr.scrollIntoView().setMeta('addToHistory', false));
	});
}

let installed = false;

export function installIncrementalYSync(): void {
	if (installed) return;
	installed = true;
	const proto = ProsemirrorBinding.prototype as unknown as Binding;
	const original = proto._typeChanged;
	proto._typeChanged = function (this: Binding, ...args: unknown[]) {
		const view = this.prosemirrorView;
		const state = view ? ySyncPluginKey.getState(view.state) : null;
		if (!view || !state || state.snapshot != null || state.prevSnapshot != null) return original.apply(this, args);
		const mapping = this.mapping;
		mapping.clear = () => {};
		const dispatch = view.dispatch;
		view.dispatch = (tr: Transaction) => {
			const narrowed = narrowRemoteTransaction(view.state, tr);
			synced.set(this, narrowed.doc); // built from Yjs as it is now
			dispatch.call(view, narrowed);
			if (tr.scrolledIntoView && !narrowed.scrolledIntoView) keepSelectionInView(view);
		};
		try {
			return original.apply(this, args);
		} finally {
			delete (mapping as { clear?: unknown }).clear; // the Map's own clear again
			delete (view as { dispatch?: unknown }).dispatch; // EditorView's own dispatch again
		}
	};

	const originalChanged = proto._prosemirrorChanged;
	proto._prosemirrorChanged = function (this: Binding, doc: PmNode) {
		const prev = synced.get(this);
		const view = this.prosemirrorView;
		if (prev === doc) return; // Yjs holds this document already
		const index = prev && view ? singleChangedChild(prev, doc) : null;
		const yChild = index !== null && this.type.length === doc.childCount ? this.type.get(index) : null;
		if (index === null || !(yChild instanceof Y.XmlElement) || yChild.nodeName !== doc.child(index).type.name || this.mapping.get(yChild) !== prev!.child(index)) {
			originalChanged.call(this, doc);
			synced.set(this, doc);
			return;
		}
		// What y-tiptap's `_prosemirrorChanged` does, on the one changed node instead of the whole document.
		this.doc.transact(() => {
			this.mapping.set(this.type, doc);
			updateYFragment(this.doc, yChild, doc.child(index) as never, this as never);
			this.beforeTransactionSelection = getRelativeSelection(this as never, view!.state);
		}, ySyncPluginKey);
		synced.set(this, doc);
	};
}

installIncrementalYSync();
