import seed from './kb-seed.json';
import { redact } from '../privacy/redact';

interface KbArticle {
  slug: string;
  language: string;
  title: string;
  body: string;
  tags: string[];
}

const articles = seed as unknown as KbArticle[];
const words = (text: string): number => text.split(/\s+/).filter(Boolean).length;

describe('kb-seed.json', () => {
  test('when loaded, then every article has exactly the expected fields with sensible values', () => {
    for (const a of articles) {
      expect(Object.keys(a).sort()).toEqual(['body', 'language', 'slug', 'tags', 'title']);
      expect(a.slug).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(['en', 'es', 'fr', 'de', 'pt']).toContain(a.language);
      expect(a.title.trim().length).toBeGreaterThan(5);
      expect(a.tags.length).toBeGreaterThan(0);
      for (const tag of a.tags) expect(tag).toBe(tag.trim().toLowerCase());
    }
  });

  test('when counted, then there are enough articles in each language', () => {
    const count = (lang: string): number => articles.filter((a) => a.language === lang).length;
    expect(articles.length).toBeGreaterThanOrEqual(36);
    expect(count('en')).toBeGreaterThanOrEqual(36);
    expect(count('es')).toBeGreaterThanOrEqual(6);
    for (const lang of ['fr', 'de', 'pt']) expect(count(lang)).toBeGreaterThanOrEqual(2);
  });

  test.each(articles.map((a) => [`${a.language}/${a.slug}`, a] as const))(
    'when %s is read, then its body is 60-200 words of plain prose',
    (_id, a) => {
      expect(words(a.body)).toBeGreaterThanOrEqual(60);
      expect(words(a.body)).toBeLessThanOrEqual(200);
      expect(a.body).not.toMatch(/\s{2,}|<[a-z]/i);
    },
  );

  test('when keyed by slug and language, then no two articles collide', () => {
    const keys = articles.map((a) => `${a.language}/${a.slug}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('when an article is a translation, then an English original with the same slug exists', () => {
    const english = new Set(articles.filter((a) => a.language === 'en').map((a) => a.slug));
    for (const a of articles.filter((x) => x.language !== 'en')) expect(english).toContain(a.slug);
  });

  test('when the help centre topics are listed, then each has an English article', () => {
    const english = new Set(articles.filter((a) => a.language === 'en').map((a) => a.slug));
    const required = [
      'place-an-order', 'change-an-order', 'cancel-an-order', 'order-status',
      'shipping-options', 'shipping-costs', 'delivery-times', 'international-shipping', 'track-a-parcel', 'lost-parcel',
      'return-policy', 'how-to-return', 'exchange-an-item',
      'refund-policy', 'refund-timing', 'refund-not-received',
      'payment-methods', 'payment-failed', 'invoices', 'download-invoice', 'vat',
      'create-account', 'delete-account', 'change-email', 'reset-password', 'two-factor-authentication',
      'subscription-plans', 'upgrade-plan', 'cancel-subscription', 'newsletter-subscribe', 'newsletter-unsubscribe',
      'contact-customer-service', 'opening-hours', 'complaints-procedure', 'request-your-data',
      'warranty', 'gift-cards', 'discount-codes', 'change-delivery-address',
    ];
    for (const slug of required) expect(english).toContain(slug);
  });

  test('when an article is redacted, then it is unchanged: the seed holds no personal data to leak', () => {
    for (const a of articles) expect(redact(a.body).text).toBe(a.body);
  });
});
