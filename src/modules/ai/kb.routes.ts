import { Router } from 'express';
import { z } from 'zod';
import type { KbArticle } from '@prisma/client';
import type { Deps } from '../../shared/deps';
import { isUniqueViolation } from '../../shared/db/prisma';
import { conflict, notFound } from '../../shared/errors/app-error';
import { decodeCursor, encodeCursor, pageQuery, text, uuid } from '../../shared/http/validation';
import { requireRole } from '../auth/authenticate';
import { recordAudit } from '../audit/audit';
import { listArticles } from './kb.repository';

const language = z.string().regex(/^[a-z]{2}$/, 'must be a two-letter ISO 639-1 code');
export const article = z
  .object({
    slug: z.string().max(100).regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case words joined by hyphens'),
    language,
    title: text(300).refine((s) => s.trim().length > 0, 'must not be empty'),
    body: text(20_000).refine((s) => s.trim().length > 0, 'must not be empty'),
    tags: z.array(z.string().max(50).regex(/^[\p{Ll}\p{N}][\p{Ll}\p{N} -]*$/u, 'must be lower-case')).max(20).default([]),
  })
  .strict();
export const listQuery = pageQuery.extend({ language: language.optional() });

const view = (a: KbArticle) => ({
  id: a.id,
  slug: a.slug,
  language: a.language,
  title: a.title,
  body: a.body,
  tags: a.tags,
  createdAt: a.createdAt.toISOString(),
  updatedAt: a.updatedAt.toISOString(),
});

async function saving<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict('An article with this language and slug already exists.');
    throw e;
  }
}

/** Admins curate the knowledge base the kb provider answers from. */
export function kbRouter(deps: Deps): Router {
  const router = Router();
  const byId = async (id: string) => {
    if (!uuid.safeParse(id).success) throw notFound('Article');
    const found = await deps.db.kbArticle.findUnique({ where: { id } });
    if (!found) throw notFound('Article');
    return found;
  };

  router.get('/v1/kb/articles', requireRole('admin'), async (req, res) => {
    const q = listQuery.parse(req.query);
    const after = decodeCursor(q.cursor);
    const rows = await listArticles(deps.db, { language: q.language }, { limit: q.limit, after });
    const page = rows.slice(0, q.limit);
    res.json({ items: page.map(view), nextCursor: rows.length > q.limit ? encodeCursor(page[page.length - 1].createdAt, page[page.length - 1].id) : null });
  });

  router.get('/v1/kb/articles/:id', requireRole('admin'), async (req, res) => {
    res.json(view(await byId(req.params.id as string)));
  });

  router.post('/v1/kb/articles', requireRole('admin'), async (req, res) => {
    const input = article.parse(req.body);
    const created = await saving(() => deps.db.kbArticle.create({ data: input }));
    await recordAudit(deps.db, req.principal!, 'kb_article.create', 'kb_article', created.id, { slug: created.slug, language: created.language });
    res.status(201).json(view(created));
  });

  router.put('/v1/kb/articles/:id', requireRole('admin'), async (req, res) => {
    const existing = await byId(req.params.id as string);
    const input = article.parse(req.body);
    const updated = await saving(() => deps.db.kbArticle.update({ where: { id: existing.id }, data: input }));
    await recordAudit(deps.db, req.principal!, 'kb_article.update', 'kb_article', updated.id, { slug: updated.slug, language: updated.language });
    res.json(view(updated));
  });

  router.delete('/v1/kb/articles/:id', requireRole('admin'), async (req, res) => {
    const existing = await byId(req.params.id as string);
    await deps.db.kbArticle.delete({ where: { id: existing.id } });
    await recordAudit(deps.db, req.principal!, 'kb_article.delete', 'kb_article', existing.id, { slug: existing.slug, language: existing.language });
    res.status(204).end();
  });

  return router;
}
