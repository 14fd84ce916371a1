// ProseMirror's view redraws a node by asking the decoration set, for each of its children, for that
// child's decorations (`DecorationSet.forChild`). The set finds the child's entry by scanning its list of
// children from the start: for the document of a long interview, where every turn has a label decoration
// inside it, each redraw scanned turns × turns / 2 entries (7,000 turns: 24 million steps per keystroke,
// tens of milliseconds). `installDecorationLookup` finds the entry by binary search (the list is sorted by
// position) and lets the original method do the rest on that one entry, so the result is the same object
// the original would return. Sets with a short list of children are left to the original as they are. The
// set's own (local) decorations that no child gets, node decorations, are not scanned for each child either,
// also in a set that has only those (the turn window's: 7,000 children × 220 decorations per redraw).
// Imported by the browser editor (PieceEditor) and the test editors (collaborative-editors.ts).
import { DecorationSet } from '@tiptap/pm/view';
import type { Node as PmNode } from '@tiptap/pm/model';

type SetInternals = { children: (number | DecorationSet)[]; local: unknown[] };
type ForChild = (this: DecorationSet, offset: number, node: PmNode) => unknown;

/** Children lists shorter than this (in entries, three per child) are scanned as ProseMirror does. */
const SCAN_LIMIT = 3 * 16;

/**
 * A set's inline local decorations (a set never changes: kept per set). Node decorations of top-level nodes
 * (a long interview's rendered turns: turn-window.ts) are local to the document's set too, and the original
 * scans all of them for each child, to hand on none: hundreds of them made each redraw cost turns × hundreds.
 */
const inlineCache = new WeakMap<DecorationSet, unknown[]>();
function inlineLocals(set: DecorationSet, local: unknown[]): unknown[] {
	if (local.length < SCAN_LIMIT) return local;
	let inline = inlineCache.get(set);
	if (!inline) inlineCache.set(set, (inline = local.filter((d) => (d as { inline: boolean }).inline)));
	return inline;
}

let installed = false;

export function installDecorationLookup(): void {
	if (installed) return;
	installed = true;
	const proto = DecorationSet.prototype as unknown as { forChild: ForChild };
	const original = proto.forChild;
	// The view of a set handed to the original when it has local decorations to cut for the child: one
	// object, reused (the original reads `children` and `local` and keeps neither). Allocating a fresh one
	// per call (Object.create with descriptors) cost more than the scan it replaced: it runs for each of
	// the document's children on every redraw.
	const entry: (number | DecorationSet)[] = [];
	const narrowed = Object.create(DecorationSet.prototype) as SetInternals;
	proto.forChild = function (this: DecorationSet, offset: number, node: PmNode) {
		const { children, local } = this as unknown as SetInternals;
		// Short lists of both kinds: the original. A set with few children but many local decorations (the
		// turn window's node decorations of top-level turns, which have no children at all) takes the path
		// below too: the original would scan every one of those for each of the document's children.
		if (this === DecorationSet.empty || node.isLeaf || !children || (children.length < SCAN_LIMIT && local.length < SCAN_LIMIT)) return original.call(this, offset, node);
		// the first entry starting at or after `offset` (entries are [from, to, set], sorted by from)
		let lo = 0;
		let hi = children.length / 3;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if ((children[mid * 3] as number) < offset) lo = mid + 1;
			else hi = mid;
		}
		const found = lo * 3 < children.length && children[lo * 3] === offset;
		// Of the local decorations, the original hands the child only inline ones (cut to it).
		const inline = inlineLocals(this, local);
		// None: the original returns the child's set, or the empty set.
		if (inline.length === 0) return found ? children[lo * 3 + 2] : DecorationSet.empty;
		// Else the original on a view of this set holding only that entry (and the inline local decorations).
		entry.length = 0;
		if (found) entry.push(children[lo * 3], children[lo * 3 + 1], children[lo * 3 + 2]);
		narrowed.children = entry;
		narrowed.local = inline;
		try {
			return original.call(narrowed as unknown as DecorationSet, offset, node);
		} finally {
			narrowed.children = [];
			narrowed.local = [];
			entry.length = 0;
		}
	};
}

installDecorationLookup();
