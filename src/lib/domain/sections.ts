// Sections of a piece, shared by the browser (which makes the rest read-only) and the server (which refuses
// updates outside a contributor's sections). A section is a heading and what follows it up to the next
// heading of the same or a higher level (a smaller or equal `level`). A section assignment names its
// heading's `id` attribute.

/** A top-level block of a piece, as far as sections care. */
export interface SectionBlock {
	type: string;
	/** The heading's level (1–6); ignored for other blocks. */
	level?: number | null;
	/** The heading's stable id; null for a heading that has none yet. */
	id?: string | null;
}

export interface PieceSection {
	/** The heading's id. */
	id: string;
	level: number;
	/** Index of the heading among the top-level blocks. */
	start: number;
	/** Index after the section's last block (exclusive). */
	end: number;
}

/** Every section of the piece (headings with an id), in order; nested sections lie inside their parents. */
export function sectionsOf(blocks: readonly SectionBlock[]): PieceSection[] {
	const sections: PieceSection[] = [];
	for (let i = 0; i < blocks.length; i++) {
		const block = blocks[i];
		if (block.type !== 'heading' || !block.id) continue;
		const level = block.level ?? 1;
		let end = i + 1;
		while (end < blocks.length && !(blocks[end].type === 'heading' && (blocks[end].level ?? 1) <= level)) end++;
		sections.push({ id: block.id, level, start: i, end });
	}
	return sections;
}

/**
 * The top-level block indexes a contributor with rights on `sectionIds` only may write in: the blocks after
 * each of those headings up to the section's end (never the heading itself). A section id that names no
 * heading any more gives nothing (its assignment is detached: never widened to the whole piece).
 */
export function writableBlocks(blocks: readonly SectionBlock[], sectionIds: readonly string[]): Set<number> {
	const wanted = new Set(sectionIds);
	const writable = new Set<number>();
	for (const section of sectionsOf(blocks)) {
		if (!wanted.has(section.id)) continue;
		for (let i = section.start + 1; i < section.end; i++) writable.add(i);
	}
	return writable;
}
