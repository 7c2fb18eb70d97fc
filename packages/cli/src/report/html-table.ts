import { escapeHtml } from "./html-escape.js";

/** Markup built by the report itself from escaped parts; a plain string cell is text and gets escaped. */
export interface TrustedHtml {
  readonly html: string;
}

export interface TableColumn<Row> {
  readonly header: string;
  readonly cell: (row: Row) => string | TrustedHtml;
  /** right-aligned, tabular figures */
  readonly numeric?: boolean;
}

export interface TableOptions<Row> {
  /** class of the <table>; also how tests find it */
  readonly className: string;
  readonly columns: readonly TableColumn<Row>[];
  readonly rows: readonly Row[];
  /** class of each <tr> in the body */
  readonly rowClass?: string;
  /** data-* attributes of a row (names without the "data-" prefix) */
  readonly rowData?: (row: Row) => Readonly<Record<string, string>>;
  /** shown as one full-width row when there are no rows */
  readonly empty?: string;
}

const cellHtml = (value: string | TrustedHtml): string => (typeof value === "string" ? escapeHtml(value) : value.html);

/** A plain HTML table; every text cell is escaped. */
export function htmlTable<Row>(options: TableOptions<Row>): string {
  const head = options.columns.map((column) => `<th${column.numeric === true ? ' class="num"' : ""}>${escapeHtml(column.header)}</th>`).join("");
  const body =
    options.rows.length === 0
      ? `<tr class="empty"><td colspan="${options.columns.length}">${escapeHtml(options.empty ?? "none")}</td></tr>`
      : options.rows
          .map((row) => {
            const data = Object.entries(options.rowData?.(row) ?? {})
              .map(([name, value]) => ` data-${name}="${escapeHtml(value)}"`)
              .join("");
            const cells = options.columns.map((column) => `<td${column.numeric === true ? ' class="num"' : ""}>${cellHtml(column.cell(row))}</td>`).join("");
            return `<tr${options.rowClass === undefined ? "" : ` class="${escapeHtml(options.rowClass)}"`}${data}>${cells}</tr>`;
          })
          .join("\n");
  return `<div class="table-wrap"><table class="${escapeHtml(options.className)}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

/** `<code>` around escaped text, for addresses and hashes. */
export function code(text: string): TrustedHtml {
  return { html: `<code>${escapeHtml(text)}</code>` };
}

/** A coloured label: tone picks the colour (ok, bad, warn, muted). */
export function badge(text: string, tone: "ok" | "bad" | "warn" | "muted"): TrustedHtml {
  return { html: `<span class="badge ${tone}">${escapeHtml(text)}</span>` };
}
