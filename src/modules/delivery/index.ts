export { recordDelivery, enqueueDelivery, messagePayload, MESSAGE_EVENT, type DeliveryDeps, type MessagePayload } from './deliver-message';
export { signatureHeader } from './signer';
export { startDeliveryWorker, processDelivery, sweepDeliveries } from './delivery.worker';
export { deliveriesRouter } from './deliveries.routes';
