import { error } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { requireUser } from '$lib/server/guards';
import { getPieceFor, loadPieceSubject, transitionsFor } from '$lib/server/queries/pieces';
import { jsonFromYjsState } from '$lib/server/content/document';
import { renderPreviewHTML } from '$lib/server/content/render';
import { collabSections } from '$lib/server/policies';
import { sectionAssignmentsOf } from '$lib/server/queries/section-assignments';
import { listPeopleFor } from '$lib/server/queries/people';
import type { PageServerLoad } from './$types';
import { logger } from '$lib/server/log';

/** How many top-level blocks (turns, paragraphs) of a piece the preview shows. */
const PREVIEW_BLOCKS = 300;

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const actor = requireUser(locals, url);
	const { db, collab } = await galley();
	const [piece, subject] = await Promise.all([getPieceFor(db, actor, params.id), loadPieceSubject(db, params.id, actor.id)]);
	if (!piece || !subject || !piece.actions.view) error(404, { message: 'No such piece, or it is not shared with you.' });
	// The piece's text, shown at once while the editor loads it (a long interview takes a moment): its first
	// blocks only, which fill more than the first screens, so that opening a long piece neither holds the
	// server up (the whole of a 1 MB interview takes it most of a second) nor sends its text twice.
	const [preview, sectionAssignments, people] = await Promise.all([
		previewOf(collab, params.id),
		sectionAssignmentsOf(db, params.id),
		// the editor assigns sections from the editor ("Assign…" beside each heading)
		actor.role === 'editor' ? listPeopleFor(db, actor).then((list) => list.map(({ id, name }) => ({ id, name }))) : Promise.resolve([])
	]);
	// what the page shows until the connection's `piece` notice replaces it (docs/protocol.md); `sections`:
	// the heading ids the caller may write in when only sections are theirs (null: not restricted)
	return { piece, transitions: transitionsFor(actor, subject), preview, sections: collabSections(actor, subject), sectionAssignments, people };
};

/**
 * The first blocks of the piece as HTML, and a line saying the rest follows when there is more; null for an
 * empty piece. Best effort: a state that cannot be read here leaves the page to the editor, which reports it.
 */
async function previewOf(collab: Awaited<ReturnType<typeof galley>>['collab'], pieceId: string): Promise<string | null> {
	try {
		const json = jsonFromYjsState(await collab.readState(pieceId), pieceId, PREVIEW_BLOCKS + 1);
		const more = (json.content?.length ?? 0) > PREVIEW_BLOCKS;
		const preview = renderPreviewHTML(more ? { ...json, content: json.content!.slice(0, PREVIEW_BLOCKS) } : json);
		return preview && more ? preview + '<p class="preview-rest">The rest of the piece follows as soon as it has opened…</p>' : preview;
	} catch (err) {
		logger.warn({ pieceId, err }, 'could not render the preview of a piece');
		return null;
	}
}
