import { Node, mergeAttributes } from '@tiptap/core';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import type { Node as PmNode } from '@tiptap/pm/model';

declare module '@tiptap/core' {
	interface Commands<ReturnType> {
		endnote: {
			/** Insert an endnote reference at the cursor; its number follows from its place in the text. */
			insertEndnote: (note?: string) => ReturnType;
			/** Change the text of the endnote with this id. */
			setEndnoteText: (id: string, note: string) => ReturnType;
		};
	}
}

export interface EndnoteEntry {
	id: string;
	number: number;
	note: string;
	pos: number;
}

/** Every endnote of a document in text order, numbered 1..N. */
export function endnotesOf(doc: PmNode): EndnoteEntry[] {
	const out: EndnoteEntry[] = [];
	doc.descendants((node, pos) => {
		if (node.type.name === 'endnote') out.push({ id: String(node.attrs.id ?? ''), number: out.length + 1, note: String(node.attrs.note ?? ''), pos });
	});
	return out;
}

const numbersKey = new PluginKey('endnoteNumbers');

function numberDecorations(state: EditorState): DecorationSet {
	return DecorationSet.create(
		state.doc,
		endnotesOf(state.doc).map((e) => Decoration.node(e.pos, e.pos + 1, { 'data-number': String(e.number) }))
	);
}

export function newEndnoteId(): string {
	return `n-${Math.random().toString(36).slice(2, 10)}`;
}

/**
 * An endnote reference `[n]` in the text, holding the note's text. Numbers are never stored: they are
 * the note's place in the text, so they are 1..N after any insertion, move or deletion by anyone.
 */
export const Endnote = Node.create({
	name: 'endnote',
	group: 'inline',
	inline: true,
	atom: true,
	selectable: true,
	addAttributes() {
		return {
			id: { default: null, parseHTML: (el) => el.getAttribute('data-id'), renderHTML: (a) => (a.id ? { 'data-id': a.id } : {}) },
			note: { default: '', parseHTML: (el) => el.getAttribute('data-note') ?? '', renderHTML: (a) => ({ 'data-note': a.note }) },
			/** Only set when rendering outside the editor: the printed number. */
			number: { default: null, parseHTML: () => null, renderHTML: (a) => (a.number ? { 'data-number': String(a.number) } : {}) }
		};
	},
	parseHTML() {
		return [{ tag: 'sup[data-endnote]' }];
	},
	renderHTML({ HTMLAttributes, node }) {
		const n = node.attrs.number;
		return ['sup', mergeAttributes(HTMLAttributes, { 'data-endnote': '', class: 'endnote-ref' }), n ? `[${n}]` : ''];
	},
	renderText({ node }) {
		return node.attrs.number ? `[${node.attrs.number}]` : '';
	},
	addProseMirrorPlugins() {
		return [
			new Plugin({
				key: numbersKey,
				state: {
					init: (_, state) => numberDecorations(state),
					apply: (tr, old, _o, newState) => (tr.docChanged ? numberDecorations(newState) : old)
				},
				props: { decorations: (state) => numbersKey.getState(state) }
			})
		];
	},
	addCommands() {
		return {
			insertEndnote:
				(note = '') =>
				({ chain }) =>
					chain().insertContent({ type: this.name, attrs: { id: newEndnoteId(), note } }).run(),
			setEndnoteText:
				(id, note) =>
				({ state, tr, dispatch }) => {
					const entry = endnotesOf(state.doc).find((e) => e.id === id);
					if (!entry) return false;
					if (dispatch) tr.setNodeAttribute(entry.pos, 'note', note);
					return true;
				}
		};
	},
	addKeyboardShortcuts() {
		return { 'Mod-Alt-n': ({ editor }) => editor.commands.insertEndnote('') };
	}
});
