// A paged table over a keyed row store: only the visible page is in the DOM, so 10,000 instruments
// cost one page of rows per paint. Sorting and filtering work on the key list, rebuilt only when the
// set of keys or the filter changes; value updates just mark the page dirty.

export class PagedTable {
  /** @param {{ tbody: HTMLElement, pageSize: number, match: (row: any, q: string) => boolean, render: (tr: HTMLTableRowElement, row: any, now: number) => void, onPage?: (page: number, pages: number, total: number) => void }} o */
  constructor(o) {
    this.o = o;
    this.rows = new Map();
    this.keys = [];
    this.view = [];
    this.keysDirty = true;
    this.viewDirty = true;
    this.page = 0;
    this.query = "";
    this.extra = () => true;
  }

  /** Adds or replaces a row. */
  set(key, row) {
    if (!this.rows.has(key)) this.keysDirty = true;
    this.rows.set(key, row);
  }

  delete(key) {
    if (this.rows.delete(key)) this.keysDirty = true;
  }

  setFilter(query, extra) {
    this.query = query.trim().toLowerCase();
    if (extra !== undefined) this.extra = extra;
    this.viewDirty = true;
    this.page = 0;
  }

  move(delta) {
    const pages = Math.max(1, Math.ceil(this.view.length / this.o.pageSize));
    this.page = Math.min(pages - 1, Math.max(0, this.page + delta));
  }

  /** Repaints the visible page (call from requestAnimationFrame). */
  paint(now) {
    if (this.keysDirty) {
      this.keys = [...this.rows.keys()].sort();
      this.keysDirty = false;
      this.viewDirty = true;
    }
    if (this.viewDirty || this.extraDynamic) {
      const q = this.query;
      this.view = this.keys.filter((k) => {
        const r = this.rows.get(k);
        return (q === "" || this.o.match(r, q)) && this.extra(r, now);
      });
      this.viewDirty = false;
    }
    const size = this.o.pageSize;
    const pages = Math.max(1, Math.ceil(this.view.length / size));
    if (this.page >= pages) this.page = pages - 1;
    const slice = this.view.slice(this.page * size, this.page * size + size);
    const tbody = this.o.tbody;
    while (tbody.rows.length > slice.length) tbody.deleteRow(-1);
    while (tbody.rows.length < slice.length) tbody.insertRow();
    for (let i = 0; i < slice.length; i++) {
      const tr = tbody.rows[i];
      tr.dataset.key = slice[i];
      this.o.render(tr, this.rows.get(slice[i]), now);
    }
    this.o.onPage?.(this.page, pages, this.view.length);
  }
}

/** Sets the cells of a row from `values` (strings), creating cells as needed; `classes` per cell. */
export function cells(tr, values, classes = []) {
  while (tr.cells.length < values.length) tr.insertCell();
  for (let i = 0; i < values.length; i++) {
    const td = tr.cells[i];
    const text = values[i] ?? "";
    if (td.textContent !== text) td.textContent = text;
    const cls = classes[i] ?? "";
    if (td.className !== cls) td.className = cls;
  }
}
