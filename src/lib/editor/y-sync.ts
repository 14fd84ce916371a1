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
// selection are still resolved through the mapping, whose entries are then exactly the nodes of the new
// document. Imported by the browser editor (PieceEditor) and the test editors (collaborative-editors.ts).
import { ProsemirrorBinding, ySyncPluginKey } from '@tiptap/y-tiptap';

type Binding = {
	mapping: Map<unknown, unknown>;
	prosemirrorView: { state: Parameters<typeof ySyncPluginKey.getState>[0] } | null;
	_typeChanged: (...args: unknown[]) => void;
};

let installed = false;

export function installIncrementalYSync(): void {
	if (installed) return;
	installed = true;
	const proto = ProsemirrorBinding.prototype as unknown as Binding;
	const original = proto._typeChanged;
	proto._typeChanged = function (this: Binding, ...args: unknown[]) {
		const state = this.prosemirrorView ? ySyncPluginKey.getState(this.prosemirrorView.state) : null;
		if (!state || state.snapshot != null || state.prevSnapshot != null) return original.apply(this, args);
		const mapping = this.mapping;
		mapping.clear = () => {};
		try {
			return original.apply(this, args);
		} finally {
			delete (mapping as { clear?: unknown }).clear; // the Map's own clear again
		}
	};
}

installIncrementalYSync();
