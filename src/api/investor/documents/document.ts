/**
 * A printable investor document as a list of blocks. Each document (agreement, statement) is
 * written once as blocks, and the HTML and PDF renderers draw the same blocks, so the two formats
 * cannot say different things.
 */

/** The languages a document is written in: Chinese, the binding text, and an English rendering. */
export const DOCUMENT_LANGS = ['zh', 'en'] as const;
export type DocumentLang = (typeof DOCUMENT_LANGS)[number];

/** One label and its value, e.g. 合同编号 / HT-XJP20261202000001. */
export interface Field {
  label: string;
  value: string;
}

/** A table column; `weight` is its share of the width relative to the other columns. */
export interface Column {
  title: string;
  align: 'left' | 'right';
  weight: number;
}

/** One signing party: its role, name, what it signed with, and whether an e-seal is shown. */
export interface Signatory {
  role: string;
  name: string;
  lines: string[];
  /** The seal's text: companies seal electronically (电子签章); an investor signs by accepting online. */
  seal: string | null;
}

export type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'fields'; fields: Field[] }
  | { kind: 'paragraph'; text: string }
  | { kind: 'clauses'; items: string[] }
  | { kind: 'table'; columns: Column[]; rows: string[][]; empty: string }
  | { kind: 'signatures'; parties: Signatory[] };

/** A whole document: a title, fields printed under it (number, date), the blocks, and a page footer. */
export interface InvestorDocument {
  lang: DocumentLang;
  title: string;
  subtitle: Field[];
  blocks: Block[];
  footer: string;
}

/** Picks the text of the document's language. */
export function inLang(lang: DocumentLang, zh: string, en: string): string {
  return lang === 'zh' ? zh : en;
}

/** `label：value` in Chinese, `label: value` in English. */
export function labelled(lang: DocumentLang, label: string, value: string): string {
  return `${label}${lang === 'zh' ? '：' : ': '}${value}`;
}
