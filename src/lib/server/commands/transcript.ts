import crypto from 'node:crypto';
import * as Y from 'yjs';
import type { JSONContent } from '@tiptap/core';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import type { ParsedTranscript } from '../../domain/transcript';
import { interviewContent, turnsAlreadyThere, type LabelMapping } from '../../editor/transcript-import';
import { leadInFromMarkdown } from '../../editor/print';
import type { Participant } from '../../editor/participants';
import { editorSchema } from '../../editor/extensions';
import { participantsFromJSON, participantsNodeJSON } from '../../editor/participants';
import { BODY_FRAGMENT, jsonFromYDoc } from '../content/document';
import { textOf } from '../../editor/projection';
import { TEMPLATE_LEAD_IN } from '../../domain/templates';
import type { CollabServer } from '../collab/server';

export type ImportMode = 'append' | 'replace';

/**
 * Which lead-in the interview has after the import: the transcript's (the text before its first turn),
 * the piece's own (kept as it is, the template's included), or one written in the import dialog
 * (`*…*` toggles italics as in the bulletin's print form). Without a choice: the transcript's if it has one
 * and the piece's lead-in is still the template's (or empty), else the piece's.
 */
export type LeadInChoice = 'transcript' | 'keep' | { text: string };

export interface ImportOptions {
	mode: ImportMode;
	leadIn?: LeadInChoice;
}

export interface ImportResult {
	/** The whole interview document after the import. */
	document: JSONContent;
	/** The participants after the import (existing, relabelled, new). */
	participants: Participant[];
	/** One Q&A block per imported turn, as added. */
	blocks: JSONContent[];
	/** How many of the imported turns were already in the piece (same speaker, same text): see turnsAlreadyThere. */
	alreadyPresent: number;
}

/** A lead-in nobody wrote: empty, or the text of the template before prompts were placeholders. */
function isTemplateLeadIn(n: JSONContent): boolean {
	return n.type === 'leadIn' && (textOf(n).trim() === '' || textOf(n).includes(TEMPLATE_LEAD_IN));
}

/** The interview document after importing `parsed` into `current` (pure; used for dry runs too). */
export function importedDocument(current: JSONContent, parsed: ParsedTranscript, mapping: LabelMapping, options: ImportOptions): ImportResult {
	const existing = participantsFromJSON(current);
	const { participants, leadIn: transcriptLeadIn, blocks } = interviewContent(parsed, existing, mapping);
	// An untouched template (its lead-in and empty turns) counts as empty: the import replaces it.
	const isTemplate = (n: JSONContent) => isTemplateLeadIn(n) || textOf(n).trim() === '';
	const others = (current.content ?? []).filter((n) => n.type !== 'participants');
	const currentLeadIn = others.find((n) => n.type === 'leadIn') ?? null;
	const replacing = options.mode === 'replace' || others.every(isTemplate);

	// The lead-in the piece gets, or null to keep the one it has.
	const choice = options.leadIn;
	let newLeadIn: JSONContent | null;
	if (choice === 'keep') newLeadIn = null;
	else if (choice === 'transcript') newLeadIn = transcriptLeadIn;
	else if (choice && typeof choice === 'object') newLeadIn = { type: 'leadIn', content: leadInFromMarkdown(choice.text.replace(/\s+/g, ' ').trim()) };
	else newLeadIn = transcriptLeadIn && (!currentLeadIn || isTemplateLeadIn(currentLeadIn)) ? transcriptLeadIn : null;

	let content: JSONContent[];
	if (replacing) {
		const lead = newLeadIn ?? currentLeadIn;
		content = [...(lead ? [lead] : []), ...blocks];
	} else {
		const kept = newLeadIn && currentLeadIn ? others.map((n) => (n === currentLeadIn ? newLeadIn : n)) : others;
		content = [...(newLeadIn && !currentLeadIn ? [newLeadIn] : []), ...kept, ...blocks];
	}
	// When replacing, participants nobody speaks as any more (the template's) are dropped.
	const speaking = new Set<string>();
	const collect = (n: JSONContent) => {
		if (n.type === 'qaBlock' && typeof n.attrs?.speaker === 'string') speaking.add(n.attrs.speaker);
		n.content?.forEach(collect);
	};
	content.forEach(collect);
	const list = replacing ? participants.filter((p) => speaking.has(p.id)) : participants;
	return {
		document: { type: 'doc', content: [participantsNodeJSON(list), ...content] },
		participants: list,
		blocks,
		alreadyPresent: turnsAlreadyThere(current, blocks, participants)
	};
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
export async function importTranscript(collab: CollabServer, pieceId: string, parsed: ParsedTranscript, mapping: LabelMapping, options: ImportOptions, rightsSeen?: number): Promise<ImportResult> {
	const { live, result } = await collab.use(pieceId, (live) => {
		try {
			// The piece was locked (or its rights changed) since the caller checked them: nothing is applied.
			if (rightsSeen !== undefined && collab.rightsVersion(pieceId) !== rightsSeen) throw new RightsChangedMeanwhile();
			const imported = importedDocument(jsonFromYDoc(live.doc, pieceId), parsed, mapping, options);
			const result = { ...imported, document: withQaBlockIds(imported.document) };
			editorSchema.nodeFromJSON(result.document).check(); // throws before anything is applied
			live.doc.transact(() => {
				prosemirrorJSONToYXmlFragment(editorSchema, result.document, live.doc.getXmlFragment(BODY_FRAGMENT));
			}, IMPORT_ORIGIN);
			return { live, result };
		} catch (err) {
			collab.release(live);
			throw err;
		}
	});
	try {
		await collab.commits.idle();
		await collab.projectNow(live); // word count, body text and headings at once, not after the pause
		return result;
	} finally {
		collab.release(live);
	}
}

export type { Y };
