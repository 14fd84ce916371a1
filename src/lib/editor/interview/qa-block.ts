import { Node, mergeAttributes } from '@tiptap/core';
import { Plugin, PluginKey, Selection, TextSelection, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import type { Node as PmNode, ResolvedPos } from '@tiptap/pm/model';
import { Mapping, StepMap } from '@tiptap/pm/transform';
import { firstOfRole, otherSpeaker, participantLabel, type Participant } from '../participants';
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

const labelsKey = new PluginKey<LabelsState>('qaLabels');

/** The labels decorations, and what they were drawn from: each participant's id and printed label. */
interface LabelsState {
	set: DecorationSet;
	labelsKey: string;
}

const labelsKeyOf = (list: Participant[]) => list.map((p) => `${p.id}\u0000${participantLabel(list, p.id)}`).join('\u0001');

/** The label decorations of the top-level nodes between `from` and `to` (node boundaries of `doc`). */
function labelDecorations(doc: PmNode, list: Participant[], from = 0, to = doc.content.size): Decoration[] {
	const decorations: Decoration[] = [];
	doc.nodesBetween(from, to, (node, pos) => {
		if (node.type.name === 'qaBlock') {
			// Only on the first paragraph, never on the turn itself: a node decoration on a top-level node is
			// kept in the root of the set, and ProseMirror's view scans all of those for each top-level node it
			// redraws, so thousands of them made every keystroke cost turns × turns.
			const label = participantLabel(list, node.attrs.speaker);
			const first = node.firstChild;
			if (first) decorations.push(Decoration.node(pos + 1, pos + 1 + first.nodeSize, { 'data-label': `${label}:` }));
		}
		return false; // only the top-level nodes: a Q&A block is never nested
	});
	return decorations;
}

function allLabels(doc: PmNode): LabelsState {
	const list = participantsOf(doc);
	return { set: DecorationSet.create(doc, labelDecorations(doc, list)), labelsKey: labelsKeyOf(list) };
}

/**
 * The labels after a change of the document, redrawn only where the document changed: the top-level nodes
 * between the first and the last difference of the two documents (found by comparing them, so a remote
 * change that y-prosemirror applies as a replacement of the whole document costs no more than a local one).
 * Everything is redrawn when a participant's label changed, so renaming someone relabels every turn.
 */
function nextLabels(old: LabelsState, oldDoc: PmNode, doc: PmNode): LabelsState {
	const list = participantsOf(doc);
	const key = labelsKeyOf(list);
	if (key !== old.labelsKey) return { set: DecorationSet.create(doc, labelDecorations(doc, list)), labelsKey: key };
	const start = oldDoc.content.findDiffStart(doc.content);
	if (start == null) return old;
	let { a: endA, b: endB } = oldDoc.content.findDiffEnd(doc.content)!;
	const overlap = start - Math.min(endA, endB);
	if (overlap > 0) {
		endA += overlap;
		endB += overlap;
	}
	const $from = doc.resolve(start);
	const $to = doc.resolve(endB);
	const from = $from.depth > 0 ? $from.before(1) : start;
	const to = $to.depth > 0 ? $to.after(1) : endB;
	let set = old.set.map(new Mapping([new StepMap([start, endA - start, endB - start])]), doc);
	set = set.remove(set.find(from, to).filter((d) => d.from >= from && d.to <= to));
	return { set: set.add(doc, labelDecorations(doc, list, from, to)), labelsKey: key };
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
					init: (_, state) => allLabels(state.doc),
					apply: (tr, old, oldState, newState) => (tr.docChanged ? nextLabels(old, oldState.doc, newState.doc) : old)
				},
				props: { decorations: (state) => labelsKey.getState(state)?.set }
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
