import type { JSONContent } from '@tiptap/core';
import type { PieceKind } from './pieces';
import { participantsNodeJSON } from '../editor/participants';

const p = (text?: string, marks?: JSONContent['marks']): JSONContent =>
	text ? { type: 'paragraph', content: [{ type: 'text', text, ...(marks ? { marks } : {}) }] } : { type: 'paragraph' };

/** The participants a new interview starts with: the bulletin asks, the guest answers. */
export const DEFAULT_INTERVIEW_PARTICIPANTS = [
	{ id: 'p-interviewer', name: 'Basin Watch', label: 'BW', role: 'interviewer' as const },
	{ id: 'p-guest', name: 'Guest', label: 'G', role: 'interviewee' as const }
];

/** The italic part of a new interview's lead-in (after the bulletin's name, which prints roman). */
export const TEMPLATE_LEAD_IN = 'spoke with … about … The conversation has been condensed and edited for clarity.';

/** What a new piece of each kind starts with, shaped like the bulletin prints it. */
export function pieceTemplate(kind: PieceKind): JSONContent {
	switch (kind) {
		case 'brief':
			return { type: 'doc', content: [p('Write the brief here: what happened, with sources, and why it matters.')] };
		case 'article':
			return {
				type: 'doc',
				content: [
					p('Open with the development and its significance, citing sources inline.'),
					{ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'First section heading' }] },
					p()
				]
			};
		case 'interview':
			return {
				type: 'doc',
				content: [
					participantsNodeJSON(DEFAULT_INTERVIEW_PARTICIPANTS),
					{ type: 'leadIn', content: [{ type: 'text', text: 'Basin Watch ', marks: [{ type: 'italic' }] }, { type: 'text', text: TEMPLATE_LEAD_IN }] },
					{ type: 'qaBlock', attrs: { kind: 'question', speaker: 'p-interviewer' }, content: [p()] },
					{ type: 'qaBlock', attrs: { kind: 'answer', speaker: 'p-guest' }, content: [p()] }
				]
			};
	}
}
