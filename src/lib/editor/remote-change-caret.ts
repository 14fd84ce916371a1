import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, TextSelection, type Transaction } from '@tiptap/pm/state';
import { relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
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

type Binding = { doc: Y.Doc; type: Y.XmlFragment; mapping: Map<Y.AbstractType<any>, unknown>; beforeTransactionSelection: RelativeSelection | null };
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

export const remoteChangeCaretKey = new PluginKey('remoteChangeCaret');

/** Add with Collaboration: see above. */
export const RemoteChangeCaret = Extension.create({
	name: 'remoteChangeCaret',
	addProseMirrorPlugins() {
		return [
			new Plugin({
				key: remoteChangeCaretKey,
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
