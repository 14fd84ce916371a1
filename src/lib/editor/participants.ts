import type { JSONContent } from '@tiptap/core';
import { nanoid } from 'nanoid';

// Interview participants: who asks (interviewer) and who answers (interviewee). Stored once, in the
// document's `participants` node, and referenced by id from every Q&A block, so renaming a participant
// or changing a label updates every block at once.
//
// Document structure (editor schema 3): the hidden `participants` block holds one `participant` atom
// per person, its attributes id, name, label, role and contributorId. Each participant is its own Yjs
// XmlElement, so two people editing different participants, or different attributes of one, at the
// same moment both keep their edit.

export interface Participant {
	id: string;
	name: string;
	/** Short label printed before each turn: "BW", "AV". */
	label: string;
	role: 'interviewer' | 'interviewee';
	/** Optional link to a contributor profile. */
	contributorId?: string | null;
}

export function participantLabel(list: Participant[], id: string | null | undefined): string {
	const p = list.find((x) => x.id === id);
	return p ? p.label || p.name : '?';
}

/** The participant who speaks next after `id`: the first one of the other role (or the next in the list). */
export function otherSpeaker(list: Participant[], id: string | null | undefined): Participant | null {
	if (list.length === 0) return null;
	const current = list.find((p) => p.id === id);
	if (!current) return list[0];
	return list.find((p) => p.role !== current.role) ?? list[(list.indexOf(current) + 1) % list.length];
}

export function firstOfRole(list: Participant[], role: Participant['role']): Participant | null {
	return list.find((p) => p.role === role) ?? null;
}

/** A fresh participant id (nanoid: from crypto.getRandomValues, which also works on a plain-http origin). */
export function newParticipantId(): string {
	return `p-${nanoid(10)}`;
}

export function normaliseParticipants(value: unknown): Participant[] {
	if (!Array.isArray(value)) return [];
	return value
		.filter((p): p is Participant => !!p && typeof p === 'object' && typeof (p as Participant).id === 'string')
		.map((p) => ({
			id: p.id,
			name: String(p.name ?? '').slice(0, 120),
			label: String(p.label ?? '').slice(0, 24),
			role: p.role === 'interviewer' ? 'interviewer' : 'interviewee',
			contributorId: typeof p.contributorId === 'string' && p.contributorId ? p.contributorId.slice(0, 64) : null
		}));
}

/** The list without participants whose id came earlier (the first one wins). */
export function uniqueParticipants(list: Participant[]): Participant[] {
	const seen = new Set<string>();
	return list.filter((p) => !seen.has(p.id) && !!seen.add(p.id));
}

/** The attributes of a `participant` node for `p` (every attribute set, so a change compares cleanly). */
export function participantAttrs(p: Participant): Required<Participant> {
	const [n] = normaliseParticipants([p]);
	return { id: n.id, name: n.name, label: n.label, role: n.role, contributorId: n.contributorId ?? null };
}

/** The participants held by a `participants` node, given its `participant` children's attributes. */
export function readParticipants(children: unknown[]): Participant[] {
	return uniqueParticipants(normaliseParticipants(children));
}

/** The `participants` node (editor JSON) holding `list`, one `participant` child each. */
export function participantsNodeJSON(list: Participant[]): JSONContent {
	return { type: 'participants', content: uniqueParticipants(normaliseParticipants(list)).map((p) => ({ type: 'participant', attrs: participantAttrs(p) })) };
}

/** The participants of a document in editor JSON (its first `participants` node), or []. */
export function participantsFromJSON(doc: JSONContent): Participant[] {
	const node = doc.content?.find((n) => n.type === 'participants');
	if (!node) return [];
	const children = (node.content ?? []).filter((c) => c.type === 'participant').map((c) => c.attrs ?? {});
	return readParticipants(children);
}

/**
 * Editor JSON with every `participants` node in the current form, each participant with all its
 * attributes (Yjs stores no null attribute, so a participant read from Yjs lacks `contributorId: null`),
 * duplicates of an id dropped.
 */
export function normaliseParticipantsJSON(doc: JSONContent): JSONContent {
	if (!doc.content?.some((n) => n.type === 'participants')) return doc;
	return { ...doc, content: doc.content.map((n) => (n.type === 'participants' ? participantsNodeJSON(participantsFromJSON({ type: 'doc', content: [n] })) : n)) };
}

/** What a participant needs to know of a contributor profile to be linked to it. */
export interface ContributorRef {
	id: string;
	name: string;
}

/**
 * Link participant `id` to `contributor`, or unlink it (`null`). A participant without a name takes the
 * contributor's name in the same change; a named one keeps its name (see `profileNameToOffer`). The other
 * participants, and the participant's label and role, are unchanged.
 */
export function linkParticipant(list: Participant[], id: string, contributor: ContributorRef | null): Participant[] {
	return list.map((p) => {
		if (p.id !== id) return p;
		if (!contributor) return { ...p, contributorId: null };
		return { ...p, contributorId: contributor.id, name: p.name.trim() ? p.name : contributor.name.slice(0, 120) };
	});
}

/** The contributor a participant is linked to, from the loaded profiles (undefined: linked to a profile not among them). */
export function linkedContributor<C extends ContributorRef>(p: Participant, contributors: C[]): C | null | undefined {
	if (!p.contributorId) return null;
	return contributors.find((c) => c.id === p.contributorId);
}

/** The linked contributor's name, when it would be a change of the participant's name; else null. */
export function profileNameToOffer(p: Participant, contributors: ContributorRef[]): string | null {
	const name = linkedContributor(p, contributors)?.name.trim();
	return name && name !== p.name.trim() ? name : null;
}
