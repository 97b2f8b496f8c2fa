export { scoreTicket, SCORER_VERSION } from './score-ticket';
export { FLAGS, TOPICS } from './types';
export type { Evidence, Flag, ScoreInput, ThreadMessage, TicketScore, Topic } from './types';
