import type { JSONContent } from '@tiptap/core';
import type { ParsedTranscript } from '../domain/transcript';
import { suggestRoles } from '../domain/transcript';
import { newParticipantId, type Participant } from './participants';
import { leadInFromMarkdown } from './print';

/**
 * How a label found in the transcript maps to a participant: an existing one, or a new one to create.
 * `label` is the label printed before the speaker's turns ("AV" for a transcript's "Speaker 2"): a new
 * participant's, or a new label for the existing participant (which relabels its turns already there).
 */
export interface LabelMapping {
	[label: string]: { participantId?: string; name?: string; label?: string; role?: 'interviewer' | 'interviewee' };
}

/** The longest printed label (as the Participants panel allows). */
export const MAX_PRINTED_LABEL = 24;

function printedLabel(wanted: string | undefined): string | null {
	const label = (wanted ?? '').replace(/\s+/g, ' ').trim().slice(0, MAX_PRINTED_LABEL).trim();
	return label || null;
}

/**
 * Turn a parsed transcript into the interview's content: participants (existing ones kept, new ones
 * added for unmapped labels), the lead-in, then one Q&A block per turn. Pure: the same function serves
 * the API, the import dialog's preview and the demo.
 */
export function interviewContent(
	parsed: ParsedTranscript,
	existing: Participant[],
	mapping: LabelMapping = {}
): { participants: Participant[]; leadIn: JSONContent | null; blocks: JSONContent[] } {
	const participants = [...existing];
	const roles = suggestRoles(parsed);
	const idFor = new Map<string, string>();
	for (const { label } of parsed.labels) {
		const m = mapping[label] ?? {};
		const known = participants.find((p) => p.id === m.participantId) ?? participants.find((p) => p.label === label);
		if (known && !m.name) {
			const relabel = printedLabel(m.label);
			if (relabel && relabel !== known.label) participants[participants.indexOf(known)] = { ...known, label: relabel };
			idFor.set(label, known.id);
			continue;
		}
		const created: Participant = {
			id: newParticipantId(),
			name: m.name?.trim() || label,
			label: printedLabel(m.label) ?? printedLabel(label) ?? label,
			role: m.role ?? roles[label] ?? 'interviewee'
		};
		participants.push(created);
		idFor.set(label, created.id);
	}
	const leadText = parsed.leadIn.join(' ').trim();
	const blocks = parsed.blocks.map((b) => {
		const speaker = participants.find((p) => p.id === idFor.get(b.speakerLabel));
		return {
			type: 'qaBlock',
			attrs: { kind: speaker?.role === 'interviewer' ? 'question' : 'answer', speaker: speaker?.id ?? null, timestamp: b.timestamp },
			content: (b.paragraphs.length ? b.paragraphs : ['']).map((text) => (text ? { type: 'paragraph', content: [{ type: 'text', text }] } : { type: 'paragraph' }))
		};
	});
	return { participants, leadIn: leadText ? { type: 'leadIn', content: leadInFromMarkdown(leadText) } : null, blocks };
}

/** A turn as compared for "already there": who speaks (their printed label) and what is said. */
function turnKey(node: JSONContent, labelOf: (speaker: unknown) => string): string | null {
	const paragraphs = (node.content ?? []).map((p) => turnText(p).replace(/\s+/g, ' ').trim());
	const text = paragraphs.filter(Boolean).join('\n');
	return text ? `${labelOf(node.attrs?.speaker)}\u0000${text}` : null;
}

function turnText(node: JSONContent): string {
	if (node.type === 'text') return node.text ?? '';
	if (node.type === 'endnote') return '';
	return (node.content ?? []).map(turnText).join('');
}

/**
 * How many of the turns about to be imported (`blocks`) are already in the piece (`current`): the same
 * speaker (by printed label, so a participant added again under the same label still matches) saying the
 * same text (whitespace aside). Empty turns (a template's) never count. A turn said twice in the transcript
 * matches only as many times as the piece has it. This is what re-importing the same transcript would
 * repeat when appended.
 */
export function turnsAlreadyThere(current: JSONContent, blocks: JSONContent[], participants: Participant[]): number {
	const labelOf = (speaker: unknown) => participants.find((p) => p.id === speaker)?.label ?? '?';
	const there = new Map<string, number>();
	const visit = (n: JSONContent) => {
		if (n.type === 'qaBlock') {
			const key = turnKey(n, labelOf);
			if (key) there.set(key, (there.get(key) ?? 0) + 1);
			return;
		}
		n.content?.forEach(visit);
	};
	visit(current);
	let count = 0;
	for (const b of blocks) {
		const key = turnKey(b, labelOf);
		const left = key ? (there.get(key) ?? 0) : 0;
		if (key && left > 0) {
			there.set(key, left - 1);
			count++;
		}
	}
	return count;
}
