import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { apiError, bodyTooLarge, isBodyTooLarge, readJson, requireActor, route } from '$lib/server/api/http';
import { TranscriptBody } from '$lib/server/api/contract';
import { authorizePiece } from '$lib/server/api/pieces';
import { parseTranscript, TranscriptError } from '$lib/domain/transcript';
import { MAX_REQUEST_BODY_BYTES } from '$lib/domain/limits';
import { importTranscript, importedDocument, RightsChangedMeanwhile, type LeadInChoice } from '$lib/server/commands/transcript';
import { jsonFromYjsState } from '$lib/server/content/document';
import { participantsFromJSON } from '$lib/editor/participants';
import type { RequestHandler } from './$types';

/**
 * Import a raw transcript as Q&A blocks. Body: the transcript as text/plain, or JSON
 * `{ text, mapping?, mode?, leadIn? }`. `?dryRun=1` returns the blocks it would make without changing anything.
 */
export const POST: RequestHandler = route(async ({ locals, params, request, url }) => {
	const actor = requireActor(locals);
	const { db, collab } = await galley();
	await authorizePiece(db, actor, params.id, 'replace_text');
	const type = (request.headers.get('content-type') ?? '').toLowerCase();
	let text: string;
	let mapping = {};
	let leadIn: LeadInChoice | undefined;
	let mode: 'append' | 'replace' = url.searchParams.get('mode') === 'replace' ? 'replace' : 'append';
	if (type.startsWith('application/json')) {
		const body = await readJson(request, TranscriptBody);
		text = body.text;
		mapping = body.mapping ?? {};
		if (body.mode) mode = body.mode;
		leadIn = body.leadIn;
	} else if (type.startsWith('text/plain') || type === '') {
		// Bodies over the one limit (MAX_REQUEST_BODY_BYTES) are refused before they get here, or fail here as
		// they stream in; the transcript's own limit below is the same number, counted on the text.
		let raw: Uint8Array;
		try {
			raw = new Uint8Array(await request.arrayBuffer());
		} catch (err) {
			if (isBodyTooLarge(err)) return bodyTooLarge();
			throw err;
		}
		if (raw.length > MAX_REQUEST_BODY_BYTES) return bodyTooLarge(); // `vite dev` has no adapter-node limit
		text = new TextDecoder('utf-8', { fatal: false }).decode(raw);
	} else {
		return apiError(415, 'Send the transcript as text/plain, or JSON { "text": …, "mapping": … }');
	}

	let parsedTranscript;
	try {
		parsedTranscript = parseTranscript(text);
	} catch (err) {
		if (err instanceof TranscriptError) return apiError(err.code === 'too_large' ? 413 : 422, err.message, 'text');
		throw err;
	}

	const current = jsonFromYjsState(await collab.readState(params.id), params.id);
	if (url.searchParams.get('dryRun') === '1' || url.searchParams.get('dryRun') === 'true') {
		const preview = importedDocument(current, parsedTranscript, mapping, { mode, leadIn });
		return json({
			dryRun: true,
			mode,
			labels: parsedTranscript.labels,
			participants: preview.participants,
			leadIn: parsedTranscript.leadIn,
			blocks: parsedTranscript.blocks.map((b, i) => ({ ...b, speaker: preview.blocks[i].attrs?.speaker, kind: preview.blocks[i].attrs?.kind })),
			alreadyPresent: preview.alreadyPresent,
			document: preview.document
		});
	}
	// The body (up to 5 MiB) took time to arrive: check the rights again, and have the import refuse if they
	// change between this check and the moment it is applied (an approval meanwhile locks the piece).
	const rightsSeen = collab.rightsVersion(params.id);
	await authorizePiece(db, actor, params.id, 'replace_text');
	let result;
	try {
		result = await importTranscript(collab, params.id, parsedTranscript, mapping, { mode, leadIn }, rightsSeen);
	} catch (err) {
		if (err instanceof RightsChangedMeanwhile) return apiError(409, 'The piece was locked or its rights changed while the transcript was sent; nothing was imported. Reload and try again');
		throw err;
	}
	return json(
		{ dryRun: false, mode, imported: parsedTranscript.blocks.length, alreadyPresent: result.alreadyPresent, labels: parsedTranscript.labels, participants: participantsFromJSON(result.document) },
		{ status: 201 }
	);
});
