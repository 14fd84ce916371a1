import * as Y from 'yjs';
import type { JSONContent } from '@tiptap/core';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import type { ParsedTranscript } from '../../domain/transcript';
import { interviewContent, type LabelMapping } from '../../editor/transcript-import';
import { editorSchema } from '../../editor/extensions';
import { participantsFromJSON } from '../../editor/print';
import { BODY_FRAGMENT, jsonFromYDoc } from '../content/document';
import { textOf } from '../../editor/projection';
import type { CollabServer } from '../collab/server';

export type ImportMode = 'append' | 'replace';

/** The interview document after importing `parsed` into `current` (pure; used for dry runs too). */
export function importedDocument(current: JSONContent, parsed: ParsedTranscript, mapping: LabelMapping, mode: ImportMode): JSONContent {
	const existing = participantsFromJSON(current);
	const { participants, leadIn, blocks } = interviewContent(parsed, existing, mapping);
	const others = (current.content ?? []).filter((n) => n.type !== 'participants');
	const hasText = others.some((n) => textOf(n).trim() !== '');
	const keep = mode === 'replace' || !hasText ? [] : others;
	const hasLeadIn = keep.some((n) => n.type === 'leadIn');
	return {
		type: 'doc',
		content: [
			{ type: 'participants', attrs: { list: participants } },
			...(leadIn && !hasLeadIn ? [leadIn] : []),
			...keep,
			...blocks
		]
	};
}

const IMPORT_ORIGIN = { import: true };

/**
 * Import into the live document (loading it if needed), so everyone editing sees the blocks appear and
 * the change is stored through the same group commit as any edit. Validated against the schema first:
 * nothing is half-applied.
 */
export async function importTranscript(collab: CollabServer, pieceId: string, parsed: ParsedTranscript, mapping: LabelMapping, mode: ImportMode) {
	const live = await collab.open(pieceId);
	try {
		const next = importedDocument(jsonFromYDoc(live.doc), parsed, mapping, mode);
		editorSchema.nodeFromJSON(next).check(); // throws before anything is applied
		live.doc.transact(() => {
			prosemirrorJSONToYXmlFragment(editorSchema, next, live.doc.getXmlFragment(BODY_FRAGMENT));
		}, IMPORT_ORIGIN);
		await collab.commits.idle();
		return next;
	} finally {
		collab.release(live);
	}
}

export type { Y };
