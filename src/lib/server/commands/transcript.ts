import crypto from 'node:crypto';
import * as Y from 'yjs';
import type { JSONContent } from '@tiptap/core';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import type { ParsedTranscript } from '../../domain/transcript';
import { interviewContent, type LabelMapping } from '../../editor/transcript-import';
import { editorSchema } from '../../editor/extensions';
import { participantsFromJSON, participantsNodeJSON } from '../../editor/participants';
import { BODY_FRAGMENT, jsonFromYDoc } from '../content/document';
import { textOf } from '../../editor/projection';
import { TEMPLATE_LEAD_IN } from '../../domain/templates';
import type { CollabServer } from '../collab/server';

export type ImportMode = 'append' | 'replace';

/** The interview document after importing `parsed` into `current` (pure; used for dry runs too). */
export function importedDocument(current: JSONContent, parsed: ParsedTranscript, mapping: LabelMapping, mode: ImportMode): JSONContent {
	const existing = participantsFromJSON(current);
	const { participants, leadIn, blocks } = interviewContent(parsed, existing, mapping);
	// An untouched template (its lead-in and empty turns) counts as empty: the import replaces it.
	const isTemplate = (n: JSONContent) => (n.type === 'leadIn' && textOf(n).includes(TEMPLATE_LEAD_IN)) || textOf(n).trim() === '';
	const others = (current.content ?? []).filter((n) => n.type !== 'participants');
	const replacing = mode === 'replace' || others.every(isTemplate);
	const keep = replacing ? [] : others.filter((n) => !(leadIn && n.type === 'leadIn' && isTemplate(n)));
	const hasLeadIn = keep.some((n) => n.type === 'leadIn');
	const content = [...(leadIn && !hasLeadIn ? [leadIn] : []), ...keep, ...blocks];
	// When replacing, participants nobody speaks as any more (the template's) are dropped.
	const speaking = new Set<string>();
	const collect = (n: JSONContent) => {
		if (n.type === 'qaBlock' && typeof n.attrs?.speaker === 'string') speaking.add(n.attrs.speaker);
		n.content?.forEach(collect);
	};
	content.forEach(collect);
	const list = replacing ? participants.filter((p) => speaking.has(p.id)) : participants;
	return { type: 'doc', content: [participantsNodeJSON(list), ...content] };
}

const IMPORT_ORIGIN = { import: true };

/**
 * Every Q&A block with its id, as the editor's UniqueID would give it. Imported turns get theirs here, in
 * the import: left to the first editor that opens the piece, thousands of turns got theirs in one
 * transaction of thousands of steps, which froze that page for a minute on a long transcript.
 */
function withQaBlockIds(doc: JSONContent): JSONContent {
	return {
		...doc,
		content: doc.content?.map((n) => (n.type === 'qaBlock' && !n.attrs?.id ? { ...n, attrs: { ...n.attrs, id: crypto.randomUUID() } } : n))
	};
}

/** The piece's rights changed (it was approved, say) between the check and the import. */
export class RightsChangedMeanwhile extends Error {
	constructor() {
		super('The piece changed state while the transcript was sent');
	}
}

/**
 * Import into the live document (loading it if needed), so everyone editing sees the blocks appear and
 * the change is stored through the same group commit as any edit. Validated against the schema first:
 * nothing is half-applied.
 */
export async function importTranscript(collab: CollabServer, pieceId: string, parsed: ParsedTranscript, mapping: LabelMapping, mode: ImportMode, rightsSeen?: number) {
	const { live, next } = await collab.use(pieceId, (live) => {
		try {
			// The piece was locked (or its rights changed) since the caller checked them: nothing is applied.
			if (rightsSeen !== undefined && collab.rightsVersion(pieceId) !== rightsSeen) throw new RightsChangedMeanwhile();
			const next = withQaBlockIds(importedDocument(jsonFromYDoc(live.doc, pieceId), parsed, mapping, mode));
			editorSchema.nodeFromJSON(next).check(); // throws before anything is applied
			live.doc.transact(() => {
				prosemirrorJSONToYXmlFragment(editorSchema, next, live.doc.getXmlFragment(BODY_FRAGMENT));
			}, IMPORT_ORIGIN);
			return { live, next };
		} catch (err) {
			collab.release(live);
			throw err;
		}
	});
	try {
		await collab.commits.idle();
		return next;
	} finally {
		collab.release(live);
	}
}

export type { Y };
