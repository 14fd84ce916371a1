import { Node, mergeAttributes } from '@tiptap/core';

/** The italic lead-in of an interview. Text marked italic inside it prints roman (titles, the bulletin's name). */
export const LeadIn = Node.create({
	name: 'leadIn',
	group: 'block',
	content: 'inline*',
	defining: true,
	parseHTML() {
		return [{ tag: 'p[data-lead-in]', priority: 60 }];
	},
	renderHTML({ HTMLAttributes }) {
		return ['p', mergeAttributes(HTMLAttributes, { 'data-lead-in': '', class: 'lead-in' }), 0];
	}
});
