// Comment threads in the editor: each open thread's text highlighted (a decoration between the ProseMirror
// positions its Yjs relative positions resolve to now, recomputed as the document changes), the selected
// thread's highlight marked, a click on a highlight selecting its thread; and the quote of the selection
// (a TextQuoteSelector counted in the one text model of comment-anchors.ts) for a new thread.
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { decodePosition, offsetOf, pieceText, quoteAt, type TextQuote } from './comment-anchors';

type Binding = { doc: Y.Doc; type: Y.XmlFragment; mapping: Map<Y.AbstractType<any>, unknown> };

/** A thread to highlight: its id and its anchor's relative positions (base64, as the API gives them). */
export interface HighlightedThread {
	id: string;
	start: string;
	end: string;
}

interface HighlightState {
	threads: { id: string; start: Y.RelativePosition; end: Y.RelativePosition }[];
	active: string | null;
	decorations: DecorationSet;
}

export const commentHighlightsKey = new PluginKey<HighlightState>('commentHighlights');

function bindingOf(state: EditorState): Binding | null {
	return (ySyncPluginKey.getState(state)?.binding as Binding | undefined) ?? null;
}

function decorate(state: EditorState, threads: HighlightState['threads'], active: string | null): DecorationSet {
	const binding = bindingOf(state);
	if (!binding || !threads.length) return DecorationSet.empty;
	const size = state.doc.content.size;
	const decorations: Decoration[] = [];
	for (const t of threads) {
		let from: number | null = null;
		let to: number | null = null;
		try {
			from = relativePositionToAbsolutePosition(binding.doc, binding.type, t.start, binding.mapping as never);
			to = relativePositionToAbsolutePosition(binding.doc, binding.type, t.end, binding.mapping as never);
		} catch {
			continue; // not in this document (yet)
		}
		if (from === null || to === null || from >= to || to > size) continue;
		decorations.push(
			Decoration.inline(from, to, { class: t.id === active ? 'comment-highlight active' : 'comment-highlight', 'data-comment-id': t.id }, { id: t.id })
		);
	}
	return DecorationSet.create(state.doc, decorations);
}

export interface CommentHighlightsOptions {
	/** A highlight was clicked: select its thread. */
	onSelect: (id: string) => void;
}

/** Add with Collaboration: it reads the Yjs binding. */
export const CommentHighlights = Extension.create<CommentHighlightsOptions>({
	name: 'commentHighlights',
	addOptions: () => ({ onSelect: () => {} }),
	addProseMirrorPlugins() {
		const options = this.options;
		return [
			new Plugin<HighlightState>({
				key: commentHighlightsKey,
				state: {
					init: () => ({ threads: [], active: null, decorations: DecorationSet.empty }),
					apply(tr, value, _old, state) {
						const meta = tr.getMeta(commentHighlightsKey) as { threads?: HighlightedThread[]; active?: string | null } | undefined;
						if (!meta && !tr.docChanged) return value;
						// a local edit reaches Yjs only after this (the binding's mapping still holds the old nodes):
						// the highlights move with it; a remote change (already in Yjs and the mapping) recomputes them
						const remote = !!tr.getMeta(ySyncPluginKey)?.isChangeOrigin;
						if (!meta && !remote) return { ...value, decorations: value.decorations.map(tr.mapping, tr.doc) };
						const threads = meta?.threads ? meta.threads.map((t) => ({ id: t.id, start: decodePosition(t.start), end: decodePosition(t.end) })) : value.threads;
						const active = meta && 'active' in meta ? (meta.active ?? null) : value.active;
						return { threads, active, decorations: decorate(state, threads, active) };
					}
				},
				props: {
					decorations: (state) => commentHighlightsKey.getState(state)?.decorations,
					handleClick(view, pos) {
						const found = commentHighlightsKey.getState(view.state)?.decorations.find(pos, pos);
						const id = found?.[found.length - 1]?.spec.id as string | undefined;
						if (id) options.onSelect(id);
						return false;
					}
				}
			})
		];
	}
});

/** The transaction that shows these threads (and which one is selected). */
export function setCommentHighlights(state: EditorState, threads: HighlightedThread[], active: string | null) {
	return state.tr.setMeta(commentHighlightsKey, { threads, active }).setMeta('addToHistory', false);
}

/** The selection's text as a TextQuoteSelector in the text model of comments; null when it holds no text. */
export function selectionQuote(state: EditorState): TextQuote | null {
	const binding = bindingOf(state);
	const { from, to, empty } = state.selection;
	if (!binding || empty) return null;
	const model = pieceText(binding.type);
	const offset = (pos: number) => {
		try {
			return offsetOf(binding.doc, model, absolutePositionToRelativePosition(pos, binding.type, binding.mapping as never));
		} catch {
			return null;
		}
	};
	// an end between blocks (a whole paragraph selected from outside) moves to the nearest text inside the selection
	let a: number | null = null;
	for (let p = from; p < to && a === null; p++) a = offset(p);
	let b: number | null = null;
	for (let p = to; p > from && b === null; p--) b = offset(p);
	if (a === null || b === null || a >= b) return null;
	const quote = quoteAt(model, a, b);
	return quote.exact.trim() ? quote : null;
}
