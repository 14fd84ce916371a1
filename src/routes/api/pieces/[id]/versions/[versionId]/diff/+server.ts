import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { apiError, readQuery, requireActor, route } from '$lib/server/api/http';
import { VersionDiffQuery } from '$lib/server/api/contract';
import { authorizePiece } from '$lib/server/api/pieces';
import { jsonFromYjsState } from '$lib/server/content/document';
import { renderDiff } from '$lib/server/content/diff-render';
import { getVersion } from '$lib/server/queries/versions';
import type { RequestHandler } from './$types';

/**
 * The piece rendered with what changed from the version to `against` (the current text, or another
 * version) marked: insertions in <ins>, deletions in <del>. An HTML fragment, sandboxed (no script, no
 * same-origin) if a browser shows it as a page; `format=json` gives `{ html, insertions, deletions }`.
 */
export const GET: RequestHandler = route(async ({ locals, params, url }) => {
	const actor = requireActor(locals);
	const { against, format } = readQuery(url, VersionDiffQuery);
	const { db, collab } = await galley();
	await authorizePiece(db, actor, params.id, 'view');
	const from = await getVersion(db, params.id, params.versionId);
	if (!from) return apiError(404, 'No such version of this piece');
	let toState: Uint8Array | null;
	if (against === 'current') toState = await collab.readState(params.id);
	else {
		const other = await getVersion(db, params.id, against);
		if (!other) return apiError(404, 'No such version of this piece to compare against', 'against');
		toState = other.state;
	}
	const diff = renderDiff(jsonFromYjsState(from.state, params.id), jsonFromYjsState(toState, params.id));
	if (format === 'json') return json(diff, { headers: { 'cache-control': 'no-store' } });
	return new Response(diff.html, {
		headers: {
			'content-type': 'text/html; charset=utf-8',
			'cache-control': 'no-store',
			'content-security-policy': 'sandbox',
			'x-content-type-options': 'nosniff'
		}
	});
});
