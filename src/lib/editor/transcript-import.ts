import type { JSONContent } from '@tiptap/core';
import type { ParsedTranscript } from '../domain/transcript';
import { suggestRoles } from '../domain/transcript';
import { newParticipantId, type Participant } from './participants';
import { leadInFromMarkdown } from './print';

/** How a label found in the transcript maps to a participant: an existing one, or a new one to create. */
export interface LabelMapping {
	[label: string]: { participantId?: string; name?: string; label?: string; role?: 'interviewer' | 'interviewee' };
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
			idFor.set(label, known.id);
			continue;
		}
		const created: Participant = {
			id: newParticipantId(),
			name: m.name?.trim() || label,
			label: (m.label ?? label).trim().slice(0, 24) || label,
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
