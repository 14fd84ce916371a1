import { error, redirect } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { requireUser } from '$lib/server/guards';
import { canGlobal } from '$lib/server/policies';
import { listIssues } from '$lib/server/queries/issues';
import { field, submitToApi } from '$lib/server/api/form-action';
import { POST as createIssue } from '../api/issues/+server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireUser(locals, url);
	if (!canGlobal(actor, 'view_issues')) error(403, 'You may not see the issues');
	const { db } = await galley();
	const { issues, next } = await listIssues(db);
	return { issues, next, canPlan: canGlobal(actor, 'plan_issues'), canImport: canGlobal(actor, 'import_issues') };
};

export const actions: Actions = {
	/** POST /api/issues, then the new issue's board. Sections are typed as one comma-separated line. */
	create: async (event) => {
		const form = await event.request.formData();
		const number = (name: string) => (field(form, name).trim() === '' ? null : Number(field(form, name)));
		const date = field(form, 'date');
		const body = {
			publication: field(form, 'publication'),
			tagline: field(form, 'tagline').trim() || null,
			volume: number('volume'),
			number: number('number'),
			...(date ? { date } : {}),
			sections: field(form, 'sections').split(',').map((s) => s.trim()).filter(Boolean)
		};
		const answer = await submitToApi<{ issue: { id: string } }>(event, createIssue, body, { form });
		if (!('ok' in answer)) return answer;
		redirect(303, `/issues/${answer.data.issue.id}`);
	}
};
