export { recordAudit, recordAuditMany, SYSTEM_ACTORS } from './audit';
export { auditRouter } from './audit.routes';
