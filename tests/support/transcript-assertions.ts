// Assertions shared by the transcript parser's tests (src/lib/domain/transcript*.test.ts).
import { expect } from 'vitest';
import { parseTranscript, TranscriptError, type ParsedTranscript, type TranscriptErrorCode } from '../../src/lib/domain/transcript';

/** An issue's text with its masthead line ("VOLUME VII, ISSUE 12") blanked, so it parses as one long transcript. */
export function withoutMasthead(issue: string): string {
	return issue.replace(/^VOLUME [^\n]*ISSUE [^\n]*$/gim, '');
}

/**
 * An independent reading of an interview, not using the parser: paragraphs are separated by blank
 * lines; a paragraph starting with one of `labels` and ": " starts a block and every other paragraph
 * continues the block above.
 */
export function expectedInterview(text: string, labels: [string, string] = ['BW', 'AV']) {
	const paras = text
		.replace(/\r\n/g, '\n')
		.split(/\n[ \t]*\n/)
		.map((p) => p.split('\n').map((l) => l.trim()).join(' ').trim())
		.filter((p) => p.length > 0);
	const leadIn: string[] = [];
	const blocks: { label: string; paragraphs: string[] }[] = [];
	const labelRe = new RegExp(`^(${labels.join('|')}): (.*)$`, 's');
	for (const p of paras) {
		const m = labelRe.exec(p);
		if (m) blocks.push({ label: m[1], paragraphs: [m[2]] });
		else if (blocks.length === 0) leadIn.push(p);
		else blocks[blocks.length - 1].paragraphs.push(p);
	}
	return { leadIn, blocks };
}

export function errorOf(fn: () => unknown): TranscriptError {
	try {
		fn();
	} catch (e) {
		expect(e).toBeInstanceOf(TranscriptError);
		return e as TranscriptError;
	}
	throw new Error('expected parseTranscript to throw');
}

export function expectError(raw: string, code: TranscriptErrorCode): TranscriptError {
	const e = errorOf(() => parseTranscript(raw));
	expect(e.code).toBe(code);
	return e;
}

/** Blocks reduced to [label, paragraphs, timestamp] for compact assertions. */
export function shape(p: ParsedTranscript) {
	return p.blocks.map((b) => [b.speakerLabel, b.paragraphs, b.timestamp] as const);
}
