export { agentsRouter } from './agents.routes';
export { ticketWorkRouter } from './ticket-work.routes';
export { ageWaitingTickets, claimTicket } from './claim-ticket';
export { startStuckWorkSweeper, sweepStuckAssignments } from './return-unanswered';
