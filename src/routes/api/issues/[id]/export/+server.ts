import { galley } from '$lib/server/runtime';
import { apiError, readQuery, requireActor, route } from '$lib/server/api/http';
import { ExportQuery } from '$lib/server/api/contract';
import { issueExport } from '$lib/server/api/export';
import { canGlobal } from '$lib/server/policies';
import { assembleIssue } from '$lib/server/queries/assembly';
import type { RequestHandler } from './$types';

/** The issue as Markdown, print HTML or PDF, with the pieces the caller may see (docs/api.md "Exporting an issue or a piece"). */
export const GET: RequestHandler = route(async ({ locals, params, url }) => {
	const actor = requireActor(locals);
	const { format } = readQuery(url, ExportQuery);
	if (!canGlobal(actor, 'view_issues')) return apiError(403, 'You may not see the issues');
	const { db, collab, config } = await galley();
	const issue = await assembleIssue(db, (id) => collab.readState(id), actor, params.id);
	if (!issue) return apiError(404, 'No such issue');
	return issueExport(issue, format, config.chromiumPath);
});
