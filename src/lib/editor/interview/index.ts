// The interview's nodes, one file each: the participants (who speaks, hidden), the italic lead-in, and the Q&A turn.
import { isChangeOrigin } from '@tiptap/extension-collaboration';

export { ParticipantNode, Participants, participantsOf } from './participants-node';
export { LeadIn } from './lead-in';
export { QaBlock } from './qa-block';

/** Ignore remote (collaboration) transactions when generating ids. */
export const ignoreRemote = (tr: Parameters<typeof isChangeOrigin>[0]) => !isChangeOrigin(tr);
