// Interview documents (the editor's JSON) for the editor's tests: the Basin Watch interview's two participants,
// BW (Basin Watch, who asks) and AV (Anneli Varga, who answers), and a lead-in, before the turns a test needs.
import type { JSONContent } from '@tiptap/core';

/** BW asks (participant id `p-bw`), AV answers (`p-av`). */
export const BW_AV_PARTICIPANTS: JSONContent = {
	type: 'participants',
	content: [
		{ type: 'participant', attrs: { id: 'p-bw', name: 'Basin Watch', label: 'BW', role: 'interviewer' } },
		{ type: 'participant', attrs: { id: 'p-av', name: 'Anneli Varga', label: 'AV', role: 'interviewee' } }
	]
};

export const DELTA_LEAD_IN = 'Basin Watch spoke with Anneli Varga about the delta.';

/** An interview: BW and AV, the lead-in `leadIn` (none when null), then `body` (its turns and whatever follows). */
export function interviewDocument(body: JSONContent[], leadIn: string | null = DELTA_LEAD_IN): JSONContent {
	const lead: JSONContent[] = leadIn === null ? [] : [{ type: 'leadIn', content: [{ type: 'text', text: leadIn }] }];
	return { type: 'doc', content: [BW_AV_PARTICIPANTS, ...lead, ...body] };
}
