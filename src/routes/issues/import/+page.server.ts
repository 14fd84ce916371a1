import { error, redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/server/guards';
import { canGlobal } from '$lib/server/policies';
import { field, submitToApi } from '$lib/server/api/form-action';
import { POST as importIssue } from '../../api/issues/import/+server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireUser(locals, url);
	if (!canGlobal(actor, 'import_issues')) error(403, 'Only the editor imports issues');
	return {};
};

/** The issue's text: the uploaded file's when one was chosen, or what was pasted. */
async function archiveText(form: FormData): Promise<{ text: string; fileName: string | null }> {
	const file = form.get('file');
	if (file instanceof File && file.size > 0) return { text: await file.text(), fileName: file.name };
	return { text: field(form, 'text'), fileName: null };
}

// The page's forms without JavaScript (with it, the page sends the text itself, showing progress). Both go
// through POST /api/issues/import, the route scripts use.
export const actions: Actions = {
	/** What the import would find (?dryRun=1); the text comes back so that Import sends it again. */
	preview: async (event) => {
		const form = await event.request.formData();
		const { text, fileName } = await archiveText(form);
		form.set('text', text);
		form.delete('file');
		const answer = await submitToApi(event, importIssue, { text }, { form, query: { dryRun: '1' } });
		if (!('ok' in answer)) return answer;
		return { preview: answer.data, text, fileName };
	},

	/** Import for real, then the new issue's board. */
	import: async (event) => {
		const form = await event.request.formData();
		const { text } = await archiveText(form);
		form.set('text', text);
		form.delete('file');
		const answer = await submitToApi<{ issue: { id: string } }>(event, importIssue, { text }, { form, query: {} });
		if (!('ok' in answer)) return answer;
		redirect(303, `/issues/${answer.data.issue.id}`);
	}
};
