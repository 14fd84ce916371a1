import type { JSONContent } from '@tiptap/core';
import type { PieceKind } from './pieces';
import { participantsNodeJSON } from '../editor/participants';

const p = (): JSONContent => ({ type: 'paragraph' });

/** The participants a new interview starts with: the bulletin asks, the guest answers. */
export const DEFAULT_INTERVIEW_PARTICIPANTS = [
	{ id: 'p-interviewer', name: 'Basin Watch', label: 'BW', role: 'interviewer' as const },
	{ id: 'p-guest', name: 'Guest', label: 'G', role: 'interviewee' as const }
];

/**
 * The text of the interview template's lead-in before its prompt became a placeholder (pieces created
 * before then still have it as text). The transcript import still treats a lead-in with it as the template's.
 */
export const TEMPLATE_LEAD_IN = 'spoke with … about … The conversation has been condensed and edited for clarity.';

/**
 * What a new piece's empty blocks ask for. They are placeholders (shown by the editor in an empty block,
 * see editor/template-prompts.ts), never text: nothing of them prints or exports when nobody writes there.
 */
export const TEMPLATE_PROMPTS = {
	brief: 'Write the brief here: what happened, with sources, and why it matters.',
	articleOpening: 'Open with the development and its significance, citing sources inline.',
	sectionHeading: 'Section heading',
	interviewLeadIn: `Basin Watch ${TEMPLATE_LEAD_IN}`
} as const;

/**
 * The prompt an empty top-level block shows: the opening paragraph of a brief or an article (the first
 * block of the piece), an article's empty section heading, an interview's empty lead-in. `''` for the rest.
 */
export function templatePrompt(kind: PieceKind | null, block: { type: string; first: boolean }): string {
	if (block.type === 'leadIn') return TEMPLATE_PROMPTS.interviewLeadIn;
	if (block.type === 'heading' && kind !== 'interview') return TEMPLATE_PROMPTS.sectionHeading;
	if (block.type === 'paragraph' && block.first) {
		if (kind === 'brief') return TEMPLATE_PROMPTS.brief;
		if (kind === 'article') return TEMPLATE_PROMPTS.articleOpening;
	}
	return '';
}

/** What a new piece of each kind starts with, shaped like the bulletin prints it: empty blocks with prompts. */
export function pieceTemplate(kind: PieceKind): JSONContent {
	switch (kind) {
		case 'brief':
			return { type: 'doc', content: [p()] };
		case 'article':
			return {
				type: 'doc',
				content: [p(), { type: 'heading', attrs: { level: 2 } }, p()]
			};
		case 'interview':
			return {
				type: 'doc',
				content: [
					participantsNodeJSON(DEFAULT_INTERVIEW_PARTICIPANTS),
					{ type: 'leadIn' },
					{ type: 'qaBlock', attrs: { kind: 'question', speaker: 'p-interviewer' }, content: [p()] },
					{ type: 'qaBlock', attrs: { kind: 'answer', speaker: 'p-guest' }, content: [p()] }
				]
			};
	}
}
