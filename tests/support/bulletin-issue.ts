// Galley's own bulletin issue for tests: tests/fixtures/bulletin-issue.txt, a made-up issue of "Basin Watch"
// (Volume VII, Issue 12) written in the print form of a real analysis bulletin: masthead, contents, briefs,
// an article with citations and endnotes, a second article, an interview (lead-in, then BW:/AV: turns), bios,
// and the page-break debris of a text copied out of a PDF.
//
// The real issue it imitates (the "reference sample") is not part of the repository, and nothing here looks
// for it outside the repository by itself. Where GALLEY_REFERENCE_SAMPLE names a copy of it, a few tests read
// it as an extra check; they say "(when the reference sample is present)" in their names and are skipped elsewhere.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// A string, not a URL object: under vitest's happy-dom environment `URL` is happy-dom's.
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const BULLETIN_ISSUE_PATH = path.join(REPO_ROOT, 'tests/fixtures/bulletin-issue.txt');

/** The whole made-up issue, verbatim. */
export function bulletinIssue(): string {
	return fs.readFileSync(BULLETIN_ISSUE_PATH, 'utf8');
}

/** The issue's interview, from its lead-in ("Basin Watch *spoke with …") to the end of the file, verbatim. */
export function bulletinInterview(): string {
	const raw = bulletinIssue();
	const start = raw.search(/^Basin Watch \*spoke with/m);
	if (start === -1) throw new Error(`"Basin Watch *spoke with" not found in ${BULLETIN_ISSUE_PATH}`);
	return raw.slice(start);
}

/** Who speaks in the interview: the bulletin asks (BW), Dr. Anneli Varga answers (AV). */
export const BULLETIN_INTERVIEW_SPEAKERS = {
	BW: { name: 'Basin Watch', role: 'interviewer' as const },
	AV: { name: 'Anneli Varga', role: 'interviewee' as const }
};

/** Six short turns of a made-up Basin Watch interview, BW asking and AV answering, blank lines between them. */
export const SIX_TURNS = [
	'BW: Why did the embankment fail?',
	'AV: It was cut, in two places, at night.',
	'BW: Who cut it?',
	'AV: Nobody has claimed it.',
	'BW: What does it mean for the pact?',
	'AV: Its first summer will tell.'
].join('\n\n');

/** The reference sample's path: only what GALLEY_REFERENCE_SAMPLE says (unset: the extra checks are skipped). */
export const REFERENCE_SAMPLE_PATH = process.env.GALLEY_REFERENCE_SAMPLE ?? null;

/** True where GALLEY_REFERENCE_SAMPLE names a file that exists (never in CI, which unsets it). */
export const hasReferenceSample = REFERENCE_SAMPLE_PATH !== null && fs.existsSync(REFERENCE_SAMPLE_PATH);

export const REFERENCE_SAMPLE_SKIP_REASON = REFERENCE_SAMPLE_PATH
	? `the reference sample is not at ${REFERENCE_SAMPLE_PATH} (GALLEY_REFERENCE_SAMPLE)`
	: 'GALLEY_REFERENCE_SAMPLE is not set (the reference sample is not part of the repository)';

/** The reference sample, verbatim (LF line endings). Only call it when `hasReferenceSample`. */
export function referenceSample(): string {
	if (!REFERENCE_SAMPLE_PATH) throw new Error(REFERENCE_SAMPLE_SKIP_REASON);
	return fs.readFileSync(REFERENCE_SAMPLE_PATH, 'utf8').replace(/\r\n/g, '\n');
}

/**
 * The reference sample's interview, found without knowing its names: from the paragraph before the first
 * line that starts with a two-letter label (its lead-in) to the end of the file; `labels` are the first two
 * distinct labels, interviewer first.
 */
export function referenceInterview(): { text: string; labels: [string, string] } {
	const raw = referenceSample();
	const first = /^([A-Z]{2}): /m.exec(raw);
	if (!first) throw new Error(`no labelled interview found in ${REFERENCE_SAMPLE_PATH}`);
	const second = new RegExp(`^(?!${first[1]}: )([A-Z]{2}): `, 'm').exec(raw.slice(first.index));
	if (!second) throw new Error(`the interview in ${REFERENCE_SAMPLE_PATH} has only one speaker`);
	const leadInStart = raw.lastIndexOf('\n\n', raw.lastIndexOf('\n\n', first.index) - 1) + 2;
	return { text: raw.slice(leadInStart), labels: [first[1], second[1]] };
}

/** A second made-up archived issue (Volume XIX, Issue 3): briefs by two authors, an article by two with a qualified citation and notes, two interviews, a `p.2` marker in a cut sentence, titles wrapped differently. */
export const SECOND_ISSUE_PATH = path.join(REPO_ROOT, 'tests/fixtures/bulletin-issue-xix-3.txt');

export function secondIssue(): string {
	return fs.readFileSync(SECOND_ISSUE_PATH, 'utf8');
}
