import { Node, mergeAttributes } from '@tiptap/core';
import type { Transaction } from '@tiptap/pm/state';
import type { Node as PmNode } from '@tiptap/pm/model';
import { linkParticipant, normaliseParticipants, participantAttrs, participantsNodeJSON, readParticipants, uniqueParticipants, type ContributorRef, type Participant } from '../participants';

declare module '@tiptap/core' {
	interface Commands<ReturnType> {
		participants: {
			/**
			 * Make the interview's participants `list`: participants not in it are removed, changed ones get
			 * their changed attributes, new ones are inserted (after the one before them in `list`). Only the
			 * `participant` nodes that differ are touched, so concurrent edits of others merge.
			 */
			setParticipants: (list: Participant[]) => ReturnType;
			/** Change some attributes of one participant (false: no such participant). */
			updateParticipant: (id: string, patch: Partial<Omit<Participant, 'id'>>) => ReturnType;
			/** Add a participant at the end. */
			addParticipant: (participant: Participant) => ReturnType;
			/** Remove a participant (false: no such participant). */
			removeParticipant: (id: string) => ReturnType;
			/** Link a participant to a contributor profile (an unnamed one takes its name), or unlink it with null. */
			linkParticipant: (id: string, contributor: ContributorRef | null) => ReturnType;
		};
	}
}

/** Read the participants of a `participants` node: its `participant` children. */
function participantsOfNode(node: PmNode): Participant[] {
	const children: Record<string, unknown>[] = [];
	node.forEach((child) => {
		if (child.type.name === 'participant') children.push(child.attrs);
	});
	return readParticipants(children);
}

/** Read the participants of a document (the first `participants` node), or []. */
export function participantsOf(doc: PmNode): Participant[] {
	const pos = participantsPos(doc);
	return pos === null ? [] : participantsOfNode(doc.nodeAt(pos)!);
}

function participantsPos(doc: PmNode): number | null {
	// Stops at the first one: it runs on every change of the document (the labels, the side panels).
	for (let i = 0, offset = 0; i < doc.childCount; i++) {
		const child = doc.child(i);
		if (child.type.name === 'participants') return offset;
		offset += child.nodeSize;
	}
	return null;
}

const sameAttrs = (a: Record<string, unknown>, b: Record<string, unknown>) => Object.keys(b).every((k) => (a[k] ?? null) === (b[k] ?? null));

/**
 * Turn the participants node at `pos` into `list`, touching only what differs: delete the participants
 * not in `list` (and later duplicates of an id), `setNodeMarkup` the changed ones (y-prosemirror then
 * writes only their changed attributes), insert the new ones. Existing participants keep their order
 * in the document.
 */
function writeParticipants(tr: Transaction, pos: number, list: Participant[]): void {
	const schema = tr.doc.type.schema;
	const target = uniqueParticipants(normaliseParticipants(list));
	const wanted = new Map(target.map((p) => [p.id, p]));
	const present = new Set<string>();
	const deletions: [number, number][] = [];
	tr.doc.nodeAt(pos)!.forEach((child, offset) => {
		const id = child.attrs.id;
		if (child.type.name !== 'participant' || typeof id !== 'string' || !wanted.has(id) || present.has(id)) deletions.push([pos + 1 + offset, pos + 1 + offset + child.nodeSize]);
		if (typeof id === 'string') present.add(id);
	});
	for (const [from, to] of deletions.reverse()) tr.delete(from, to);
	tr.doc.nodeAt(pos)!.forEach((child, offset) => {
		const attrs = participantAttrs(wanted.get(child.attrs.id)!);
		if (!sameAttrs(child.attrs, attrs)) tr.setNodeMarkup(pos + 1 + offset, undefined, attrs);
	});
	target.forEach((p, i) => {
		if (present.has(p.id)) return;
		let at = pos + 1;
		if (i > 0) {
			tr.doc.nodeAt(pos)!.forEach((child, offset) => {
				if (child.attrs.id === target[i - 1].id) at = pos + 1 + offset + child.nodeSize;
			});
		}
		tr.insert(at, schema.nodes.participant.create(participantAttrs(p)));
		present.add(p.id);
	});
}

/** One person of an interview: a hidden atom inside `participants`, its own Yjs element. */
export const ParticipantNode = Node.create({
	name: 'participant',
	atom: true,
	selectable: false,
	draggable: false,
	addAttributes() {
		return {
			id: { default: null, parseHTML: (el) => el.getAttribute('data-participant'), renderHTML: (a) => ({ 'data-participant': a.id ?? '' }) },
			name: { default: '', parseHTML: (el) => el.getAttribute('data-name') ?? '', renderHTML: (a) => ({ 'data-name': a.name ?? '' }) },
			label: { default: '', parseHTML: (el) => el.getAttribute('data-label') ?? '', renderHTML: (a) => ({ 'data-label': a.label ?? '' }) },
			role: {
				default: 'interviewee',
				parseHTML: (el) => (el.getAttribute('data-role') === 'interviewer' ? 'interviewer' : 'interviewee'),
				renderHTML: (a) => ({ 'data-role': a.role })
			},
			contributorId: {
				default: null,
				parseHTML: (el) => el.getAttribute('data-contributor-id') || null,
				renderHTML: (a) => (a.contributorId ? { 'data-contributor-id': a.contributorId } : {})
			}
		};
	},
	parseHTML() {
		return [{ tag: 'div[data-participant]' }];
	},
	renderHTML({ HTMLAttributes }) {
		return ['div', HTMLAttributes];
	}
});

/** The interview's participants: a hidden block holding the `participant` nodes the Q&A blocks point at. */
export const Participants = Node.create({
	name: 'participants',
	group: 'block',
	content: 'participant*',
	atom: true,
	selectable: false,
	draggable: false,
	parseHTML() {
		return [{ tag: 'div[data-participants]' }];
	},
	renderHTML({ HTMLAttributes }) {
		return ['div', mergeAttributes({ 'data-participants': '' }, HTMLAttributes, { hidden: 'hidden' }), 0];
	},
	addCommands() {
		return {
			setParticipants:
				(list) =>
				({ tr, state, dispatch }) => {
					const pos = participantsPos(state.doc);
					if (dispatch) {
						if (pos === null) tr.insert(0, state.schema.nodeFromJSON(participantsNodeJSON(list)));
						else writeParticipants(tr, pos, list);
					}
					return true;
				},
			updateParticipant:
				(id, patch) =>
				({ state, commands }) => {
					const list = participantsOf(state.doc);
					if (!list.some((p) => p.id === id)) return false;
					return commands.setParticipants(list.map((p) => (p.id === id ? { ...p, ...patch, id } : p)));
				},
			addParticipant:
				(participant) =>
				({ state, commands }) =>
					commands.setParticipants([...participantsOf(state.doc), participant]),
			removeParticipant:
				(id) =>
				({ state, commands }) => {
					const list = participantsOf(state.doc);
					if (!list.some((p) => p.id === id)) return false;
					return commands.setParticipants(list.filter((p) => p.id !== id));
				},
			linkParticipant:
				(id, contributor) =>
				({ state, commands }) => {
					const list = participantsOf(state.doc);
					if (!list.some((p) => p.id === id)) return false;
					return commands.setParticipants(linkParticipant(list, id, contributor));
				}
		};
	}
});
