import { Node, mergeAttributes } from '@tiptap/core';
import { Plugin, PluginKey, Selection, TextSelection, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import type { Node as PmNode, ResolvedPos } from '@tiptap/pm/model';
import { firstOfRole, otherSpeaker, participantLabel } from '../participants';
import { participantsOf } from './participants-node';

declare module '@tiptap/core' {
	interface Commands<ReturnType> {
		qaBlock: {
			/** Turn the current block into a Q&A block (question by default). */
			setQaBlock: (kind?: 'question' | 'answer') => ReturnType;
			/** Give the current Q&A block to the other speaker (and flip question/answer). */
			swapSpeaker: () => ReturnType;
			/** Split the current Q&A block at the cursor into two blocks of the same speaker. */
			splitQaBlock: () => ReturnType;
			/** Merge the current Q&A block into the one before it. */
			mergeQaBlockBackward: () => ReturnType;
		};
	}
}

const labelsKey = new PluginKey('qaLabels');

function labelDecorations(state: EditorState): DecorationSet {
	const list = participantsOf(state.doc);
	const decorations: Decoration[] = [];
	state.doc.descendants((node, pos) => {
		if (node.type.name === 'qaBlock') {
			const label = participantLabel(list, node.attrs.speaker);
			decorations.push(Decoration.node(pos, pos + node.nodeSize, { 'data-label': label }));
			const first = node.firstChild;
			if (first) decorations.push(Decoration.node(pos + 1, pos + 1 + first.nodeSize, { 'data-label': `${label}:` }));
			return false;
		}
		return node.type.name === 'doc';
	});
	return DecorationSet.create(state.doc, decorations);
}

/**
 * A question or an answer of an interview: one or more paragraphs spoken by one participant. The label
 * ("BW:") is not text: it is drawn from the participant, so renaming the participant relabels every block.
 */
export const QaBlock = Node.create({
	name: 'qaBlock',
	group: 'block',
	content: 'paragraph+',
	defining: true,
	addAttributes() {
		return {
			id: { default: null, parseHTML: (el) => el.getAttribute('data-id'), renderHTML: (a) => (a.id ? { 'data-id': a.id } : {}) },
			kind: {
				default: 'question',
				parseHTML: (el) => (el.getAttribute('data-qa') === 'answer' ? 'answer' : 'question'),
				renderHTML: (a) => ({ 'data-qa': a.kind })
			},
			speaker: { default: null, parseHTML: (el) => el.getAttribute('data-speaker'), renderHTML: (a) => (a.speaker ? { 'data-speaker': a.speaker } : {}) },
			timestamp: {
				default: null,
				parseHTML: (el) => el.getAttribute('data-timestamp'),
				renderHTML: (a) => (a.timestamp ? { 'data-timestamp': a.timestamp } : {})
			},
			/** Only set when rendering outside the editor (server HTML): the speaker's label. */
			label: { default: null, parseHTML: () => null, renderHTML: (a) => (a.label ? { 'data-label': a.label } : {}) }
		};
	},
	parseHTML() {
		return [{ tag: 'section[data-qa]' }];
	},
	renderHTML({ HTMLAttributes }) {
		return ['section', mergeAttributes(HTMLAttributes, { class: 'qa-block' }), 0];
	},
	addProseMirrorPlugins() {
		return [
			new Plugin({
				key: labelsKey,
				state: {
					init: (_, state) => labelDecorations(state),
					apply: (tr, old, _oldState, newState) => (tr.docChanged ? labelDecorations(newState) : old)
				},
				props: { decorations: (state) => labelsKey.getState(state) }
			})
		];
	},
	addCommands() {
		return {
			setQaBlock:
				(kind = 'question') =>
				({ state, chain }) => {
					const list = participantsOf(state.doc);
					const speaker = firstOfRole(list, kind === 'question' ? 'interviewer' : 'interviewee')?.id ?? null;
					return chain().wrapIn(this.type, { kind, speaker }).run();
				},
			swapSpeaker:
				() =>
				({ state, tr, dispatch }) => {
					const block = currentQaBlock(state);
					if (!block) return false;
					const list = participantsOf(state.doc);
					const next = otherSpeaker(list, block.node.attrs.speaker);
					if (!next) return false;
					if (dispatch) {
						tr.setNodeMarkup(block.pos, undefined, {
							...block.node.attrs,
							speaker: next.id,
							kind: next.role === 'interviewer' ? 'question' : 'answer'
						});
					}
					return true;
				},
			splitQaBlock:
				() =>
				({ state, tr, dispatch }) => {
					if (!currentQaBlock(state)) return false;
					if (dispatch) {
						tr.deleteSelection();
						const $pos = tr.selection.$from;
						const block = qaBlockAround($pos);
						// (never inside a note's own text: the main editor keeps its caret out of endnotes)
						if (!block || $pos.depth !== block.depth + 1) return false;
						// The new turn: the same speaker and kind, no id (UniqueID gives it a fresh one).
						const typesAfter = [{ type: this.type, attrs: { ...block.node.attrs, id: null } }];
						const index = $pos.index(block.depth);
						const atStart = $pos.parentOffset === 0;
						const atEnd = $pos.parentOffset === $pos.parent.content.size;
						// At the turn's very start: a new empty turn before it; the turn keeps its text and its id.
						if (atStart && index === 0) {
							tr.insert(block.pos, this.type.create(typesAfter[0].attrs, state.schema.nodes.paragraph.create()));
							return true; // the caret stays at the start of the text
						}
						// Between two paragraphs of the turn: cut the turn there, no empty paragraph on either side.
						if (atStart) tr.split($pos.before(), 1, typesAfter);
						else if (atEnd && index < block.node.childCount - 1) tr.split($pos.after(), 1, typesAfter);
						// Inside a paragraph (or at the turn's very start or end): cut the paragraph and the turn;
						// typesAfter runs from the outer node (the turn) inwards (the paragraph: a copy).
						else tr.split($pos.pos, 2, typesAfter);
						// The caret: at the start of the new turn (the split leaves the first turn where it was).
						const newTurn = block.pos + tr.doc.nodeAt(block.pos)!.nodeSize;
						tr.setSelection(TextSelection.create(tr.doc, newTurn + 2));
					}
					return true;
				},
			mergeQaBlockBackward:
				() =>
				({ state, tr, dispatch }) => {
					const block = currentQaBlock(state);
					if (!block) return false;
					const $start = state.doc.resolve(block.pos);
					const before = $start.nodeBefore;
					if (!before || before.type !== this.type) return false;
					// The turn's paragraphs follow those of the turn before, as paragraphs (no two sentences glued;
					// a second Backspace joins the two paragraphs as anywhere else). The merged turn keeps the
					// earlier turn's speaker and id; an empty turn before simply goes (the turn keeps its own).
					if (dispatch) {
						if (before.childCount === 1 && before.firstChild!.content.size === 0) tr.delete(block.pos - before.nodeSize, block.pos);
						else tr.join(block.pos);
					}
					return true;
				}
		};
	},
	addKeyboardShortcuts() {
		return {
			// Enter at the end of a block's last paragraph starts the next turn, with the other speaker.
			Enter: ({ editor }) => {
				const { state } = editor;
				const block = currentQaBlock(state);
				if (!block || !state.selection.empty) return false;
				const { $from } = state.selection;
				const atEndOfBlock = $from.parentOffset === $from.parent.content.size && $from.index(block.depth) === block.node.childCount - 1;
				if (!atEndOfBlock || $from.parent.content.size === 0) return false;
				const list = participantsOf(state.doc);
				const next = otherSpeaker(list, block.node.attrs.speaker);
				const attrs = {
					kind: next?.role === 'interviewer' ? 'question' : block.node.attrs.kind === 'question' ? 'answer' : 'question',
					speaker: next?.id ?? null,
					timestamp: null,
					id: null
				};
				return editor
					.chain()
					.command(({ tr }) => {
						const after = block.pos + block.node.nodeSize;
						tr.insert(after, this.type.create(attrs, state.schema.nodes.paragraph.create()));
						tr.setSelection(TextSelection.create(tr.doc, after + 2));
						return true;
					})
					.scrollIntoView()
					.run();
			},
			// A new paragraph inside the same turn.
			'Mod-Enter': ({ editor }) => (currentQaBlock(editor.state) ? editor.commands.splitBlock() : false),
			'Mod-Alt-s': ({ editor }) => editor.commands.swapSpeaker(),
			'Mod-Shift-Enter': ({ editor }) => editor.commands.splitQaBlock(),
			// Backspace at the very start of a block merges it into the block before. With no turn before it
			// (the first turn, after the lead-in), an empty turn is removed and a turn with text stays as it
			// is: its words never run into the lead-in.
			Backspace: ({ editor }) => {
				const { state } = editor;
				const block = currentQaBlock(state);
				if (!block || !state.selection.empty) return false;
				const { $from } = state.selection;
				if ($from.parentOffset !== 0 || $from.index(block.depth) !== 0) return false;
				if (editor.commands.mergeQaBlockBackward()) return true;
				if (block.node.content.size > 2 || block.node.childCount > 1) return true;
				const $start = state.doc.resolve(block.pos);
				if (!$start.nodeBefore) return true;
				const tr = state.tr.delete(block.pos, block.pos + block.node.nodeSize);
				tr.setSelection(Selection.near(tr.doc.resolve(block.pos), -1));
				editor.view.dispatch(tr.scrollIntoView());
				return true;
			}
		};
	}
});

function currentQaBlock(state: EditorState): { node: PmNode; pos: number; depth: number } | null {
	return qaBlockAround(state.selection.$from);
}

function qaBlockAround($from: ResolvedPos): { node: PmNode; pos: number; depth: number } | null {
	for (let d = $from.depth; d > 0; d--) {
		const node = $from.node(d);
		if (node.type.name === 'qaBlock') return { node, pos: $from.before(d), depth: d };
	}
	return null;
}
