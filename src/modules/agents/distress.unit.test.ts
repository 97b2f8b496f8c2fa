import { isDistressing } from './distress';

describe('isDistressing', () => {
  test('when a ticket is about safety or bereavement, then it is high-distress whatever its sentiment', () => {
    expect(isDistressing({ flags: ['safety'], sentiment: 0.5 }, -0.7)).toBe(true);
    expect(isDistressing({ flags: ['billing_dispute', 'bereavement_or_health'], sentiment: 0 }, -0.7)).toBe(true);
  });

  test('when the customer is at or below the very-negative threshold, then it is high-distress', () => {
    expect(isDistressing({ flags: [], sentiment: -0.7 }, -0.7)).toBe(true);
    expect(isDistressing({ flags: ['complaint'], sentiment: -0.69 }, -0.7)).toBe(false);
  });
});
