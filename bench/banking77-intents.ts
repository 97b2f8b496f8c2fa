/**
 * Banking77's intents that need a person, with `fraud_or_security`; every other intent is routine. Fixed before
 * any router result was looked at (routing-sets/banking77/README.md).
 */
export const FRAUD_OR_SECURITY_INTENTS = new Set([
  'card_payment_not_recognised',
  'cash_withdrawal_not_recognised',
  'direct_debit_payment_not_recognised',
  'compromised_card',
  'lost_or_stolen_card',
  'lost_or_stolen_phone',
]);

