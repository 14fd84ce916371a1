// The round trip of an archived issue, compared piece by piece: every paragraph, citation, endnote, Q&A turn
// and bio, after normalising whitespace (the parser has already joined or dropped page-break debris).
import type { ArchiveIssue } from '../../src/lib/server/archive/parse';
import { pieceDigest } from '../../src/lib/server/archive/summary';

/** What a piece of a parsed issue is compared by. */
export function comparablePieces(issue: ArchiveIssue) {
	return issue.pieces.map((p) => ({
		kind: p.kind,
		title: p.title,
		section: p.section,
		authors: p.authors,
		bios: p.bios.map((b) => ({ name: b.name, text: b.text.replace(/\s+/g, ' ').trim() })),
		...pieceDigest(p.content)
	}));
}
