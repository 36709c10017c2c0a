/** Answers a document request as JSON, HTML or PDF, in the language asked for. */
import type { Request, Response } from 'express';
import { parseOrThrow } from '../../http-error';
import { documentQuerySchema } from '../schemas';
import type { DocumentLang, InvestorDocument } from './document';
import { renderHtml } from './html';
import { renderPdf } from './pdf';

/** What one document route serves: its JSON facts, the document drawn from them, and the PDF's file name. */
export interface DocumentAnswer {
  json: unknown;
  document: (lang: DocumentLang) => InvestorDocument;
  fileName: string;
}

/** `?format=` wins; otherwise the `Accept` header chooses, JSON by default. `?lang=` picks zh (default) or en. */
export async function sendDocument(req: Request, res: Response, answer: DocumentAnswer): Promise<void> {
  const query = parseOrThrow(documentQuerySchema, req.query, 'query');
  const accepted = req.accepts(['application/json', 'text/html', 'application/pdf']);
  const format = query.format ?? (accepted === 'text/html' ? 'html' : accepted === 'application/pdf' ? 'pdf' : 'json');
  res.vary('Accept');
  if (format === 'json') {
    res.json(answer.json);
  } else if (format === 'html') {
    res.type('html').send(renderHtml(answer.document(query.lang)));
  } else {
    const pdf = await renderPdf(answer.document(query.lang));
    res.type('application/pdf').setHeader('content-disposition', `inline; filename="${answer.fileName}.pdf"`);
    res.send(pdf);
  }
}
