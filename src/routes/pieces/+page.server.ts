import { asc } from 'drizzle-orm';
import { galley } from '$lib/server/runtime';
import { requireUser } from '$lib/server/guards';
import { listPieces } from '$lib/server/queries/piece-list';
import { listPeopleFor } from '$lib/server/queries/people';
import { ListPiecesQuery, type PieceListQuery } from '$lib/server/api/contract';
import { bulletinIssues, sections } from '$lib/server/db/schema';
import { canGlobal } from '$lib/server/policies';
import { redirect } from '@sveltejs/kit';
import { field, submitToApi } from '$lib/server/api/form-action';
import { POST as createPiece } from '../api/pieces/+server';
import type { Actions, PageServerLoad } from './$types';

/**
 * The page's query from its URL (the same parameters as GET /api/pieces). A parameter the API would refuse
 * is left out here, and the page says which, so a hand-edited or outdated link still shows a list.
 */
function pageQuery(url: URL): { query: PieceListQuery; ignored: string[] } {
	// a form sent without the page's script names every field, the empty ones too
	const params = Object.fromEntries([...url.searchParams].filter(([, v]) => v.trim() !== ''));
	const ignored: string[] = [];
	for (let i = 0; i < 20; i++) {
		const parsed = ListPiecesQuery.safeParse(params);
		if (parsed.success) return { query: parsed.data, ignored };
		const issue = parsed.error.issues[0];
		const keys = issue.path.length ? [String(issue.path[0])] : ((issue as { keys?: string[] }).keys ?? []);
		if (!keys.length) break;
		for (const key of keys) {
			ignored.push(key);
			delete params[key];
		}
	}
	return { query: ListPiecesQuery.parse({}), ignored };
}

export const load: PageServerLoad = async ({ locals, url, depends }) => {
	depends('app:pieces');
	const actor = requireUser(locals, url);
	const { db, config } = await galley();
	const { query, ignored } = pageQuery(url);
	const [list, issues, allSections, people] = await Promise.all([
		listPieces(db, actor, query, config.timeZone),
		db.select({ id: bulletinIssues.id, publication: bulletinIssues.publication, volume: bulletinIssues.volume, number: bulletinIssues.number }).from(bulletinIssues).orderBy(asc(bulletinIssues.volume), asc(bulletinIssues.number)),
		db.select({ id: sections.id, issueId: sections.issueId, title: sections.title }).from(sections).orderBy(asc(sections.issueId), asc(sections.position)),
		listPeopleFor(db, actor)
	]);
	return {
		...list,
		query,
		ignored,
		now: Date.now(),
		options: { issues, sections: allSections, people: people.map((p) => ({ id: p.id, name: p.name })) },
		canCreate: canGlobal(actor, 'create_piece'),
		isEditor: actor.role === 'editor'
	};
};

export const actions: Actions = {
	/** POST /api/pieces, then the new piece's page. */
	create: async (event) => {
		const form = await event.request.formData();
		const answer = await submitToApi<{ piece: { id: string } }>(event, createPiece, { title: field(form, 'title'), kind: field(form, 'kind') }, { form });
		if (!('ok' in answer)) return answer;
		redirect(303, `/pieces/${answer.data.piece.id}`);
	}
};
