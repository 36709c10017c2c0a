/** Draws an {@link InvestorDocument} as a self-contained HTML page (inline CSS, no scripts) that prints on A4. */
import { labelled, type Block, type Field, type InvestorDocument, type Signatory } from './document';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

function fieldRows(fields: Field[]): string {
  return fields.map((f) => `<tr><th>${esc(f.label)}</th><td>${esc(f.value)}</td></tr>`).join('\n');
}

function signatory(party: Signatory): string {
  const seal = party.seal === null ? '' : `<div class="seal">${esc(party.seal)}</div>`;
  const lines = party.lines.map((line) => `<p>${esc(line)}</p>`).join('');
  return `<div class="party">${seal}<p class="role">${esc(party.role)}</p><p class="name">${esc(party.name)}</p>${lines}</div>`;
}

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `<h2>${esc(b.text)}</h2>`;
    case 'fields':
      return `<table class="fields">\n${fieldRows(b.fields)}\n</table>`;
    case 'paragraph':
      return `<p>${esc(b.text)}</p>`;
    case 'clauses':
      return `<ol>${b.items.map((item) => `<li>${esc(item)}</li>`).join('\n')}</ol>`;
    case 'table': {
      const total = b.columns.reduce((sum, c) => sum + c.weight, 0);
      const head = b.columns
        .map(
          (c) => `<th class="${c.align}" style="width:${Math.round((c.weight / total) * 100)}%">${esc(c.title)}</th>`,
        )
        .join('');
      const body =
        b.rows.length === 0
          ? `<tr><td colspan="${b.columns.length}" class="empty">${esc(b.empty)}</td></tr>`
          : b.rows
              .map(
                (row) =>
                  `<tr>${row.map((cell, i) => `<td class="${b.columns[i]?.align ?? 'left'}">${esc(cell)}</td>`).join('')}</tr>`,
              )
              .join('\n');
      return `<table class="grid"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
    }
    case 'signatures':
      return `<div class="signatures">${b.parties.map(signatory).join('\n')}</div>`;
  }
}

const STYLE = `@page { size: A4; margin: 18mm 16mm; }
body { font-family: "Noto Sans SC", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: #1a1a1a; max-width: 760px; margin: 24px auto; font-size: 13px; line-height: 1.6; }
h1 { font-size: 22px; text-align: center; margin: 0 0 6px; letter-spacing: 2px; }
.subtitle { text-align: center; color: #555; margin-bottom: 18px; }
.subtitle span + span { margin-left: 24px; }
h2 { font-size: 15px; border-bottom: 2px solid #9b1b1b; padding-bottom: 3px; margin: 20px 0 8px; }
table { width: 100%; border-collapse: collapse; }
.fields th, .fields td, .grid th, .grid td { border: 1px solid #bbb; padding: 5px 9px; vertical-align: top; }
.fields th { width: 30%; background: #f5f1ea; font-weight: normal; text-align: left; }
.grid th { background: #f5f1ea; font-weight: normal; }
.grid .right { text-align: right; font-variant-numeric: tabular-nums; } .grid .left { text-align: left; }
.grid td { white-space: pre-line; }
.grid .empty { text-align: center; color: #777; }
ol { padding-left: 22px; } li { margin-bottom: 4px; }
.signatures { display: flex; gap: 16px; margin-top: 12px; break-inside: avoid; }
.party { flex: 1; border: 1px solid #ddd; padding: 10px 10px 100px; position: relative; }
.party p { margin: 2px 0; } .party .role { color: #555; } .party .name { font-weight: bold; }
.seal { position: absolute; right: 10px; bottom: 8px; width: 84px; height: 84px; border: 3px solid #c8161d; border-radius: 50%; color: #c8161d; font-size: 11px; display: flex; align-items: center; justify-content: center; text-align: center; white-space: pre-line; opacity: .85; }
footer { margin-top: 24px; color: #777; font-size: 11px; text-align: center; }`;

/** The document as one HTML page in its language. */
export function renderHtml(doc: InvestorDocument): string {
  const subtitle = doc.subtitle.map((f) => `<span>${esc(labelled(doc.lang, f.label, f.value))}</span>`).join('');
  return `<!doctype html>
<html lang="${doc.lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><title>${esc(doc.title)}</title>
<style>
${STYLE}
</style></head>
<body>
<h1>${esc(doc.title)}</h1>
<div class="subtitle">${subtitle}</div>
${doc.blocks.map(block).join('\n')}
<footer>${esc(doc.footer)}</footer>
</body></html>
`;
}
