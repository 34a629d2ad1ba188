// macrolint report: sorting, filtering and paging for the tables (and the list of clusters).
// Everything here only adds to a page that reads in full without it.
(function () {
  "use strict";

  function text(cell) {
    return cell.getAttribute("data-sort") !== null ? cell.getAttribute("data-sort") : cell.textContent.trim();
  }

  function compare(kind, a, b) {
    if (kind === "number") {
      var x = parseFloat(a), y = parseFloat(b);
      x = isNaN(x) ? -Infinity : x;
      y = isNaN(y) ? -Infinity : y;
      return x - y;
    }
    return a.localeCompare(b, undefined, {numeric: true, sensitivity: "base"});
  }

  // A list of rows shown a page at a time, narrowed by a filter box.
  // A short table gets no controls (sorting only); a longer one a filter box, and page buttons
  // when it holds more than a page.
  function Pager(container, rows, size, label) {
    this.rows = rows;
    this.size = size;
    this.page = 0;
    this.query = "";
    if (rows.length <= 8) {
      this.show = function () {};
      return;
    }
    var controls = document.createElement("div");
    controls.className = "controls";
    var input = document.createElement("input");
    input.type = "search";
    input.placeholder = "Filter…";
    input.setAttribute("aria-label", "Filter " + label);
    var prev = document.createElement("button");
    prev.type = "button";
    prev.textContent = "Previous";
    var next = document.createElement("button");
    next.type = "button";
    next.textContent = "Next";
    var status = document.createElement("span");
    status.className = "pager";
    status.setAttribute("aria-live", "polite");
    controls.appendChild(input);
    controls.appendChild(prev);
    controls.appendChild(status);
    controls.appendChild(next);
    container.parentNode.insertBefore(controls, container);
    var self = this;
    input.addEventListener("input", function () {
      self.query = input.value.toLowerCase();
      self.page = 0;
      self.show();
    });
    prev.addEventListener("click", function () { self.page -= 1; self.show(); });
    next.addEventListener("click", function () { self.page += 1; self.show(); });
    this.prev = prev;
    this.next = next;
    this.status = status;
    this.input = input;
    this.show();
  }

  Pager.prototype.show = function () {
    var query = this.query;
    var matching = this.rows.filter(function (row) {
      if (row._text === undefined) { row._text = row.textContent.toLowerCase(); }
      return !query || row._text.indexOf(query) !== -1;
    });
    var pages = Math.max(1, Math.ceil(matching.length / this.size));
    this.page = Math.min(Math.max(this.page, 0), pages - 1);
    var first = this.page * this.size, last = first + this.size;
    var shown = new Set(matching.slice(first, last));
    this.rows.forEach(function (row) { row.hidden = !shown.has(row); });
    this.prev.disabled = this.page === 0;
    this.next.disabled = this.page >= pages - 1;
    this.prev.hidden = this.next.hidden = this.rows.length <= this.size;
    this.status.textContent = matching.length
      ? (first + 1) + "–" + Math.min(last, matching.length) + " of " + matching.length +
        (matching.length !== this.rows.length ? " (filtered from " + this.rows.length + ")" : "")
      : "No match of " + this.rows.length;
  };

  function sortable(table, pager) {
    var heads = table.tHead ? Array.prototype.slice.call(table.tHead.rows[0].cells) : [];
    heads.forEach(function (th, column) {
      var kind = th.getAttribute("data-kind") || "text";
      if (kind === "none") { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var descending = th.getAttribute("aria-sort") !== "descending" &&
          (th.getAttribute("aria-sort") === "ascending" || kind === "number");
        heads.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        var body = table.tBodies[0];
        var rows = pager.rows.slice();
        rows.sort(function (a, b) {
          var c = compare(kind, text(a.cells[column]), text(b.cells[column]));
          return descending ? -c : c;
        });
        rows.forEach(function (row) { body.appendChild(row); });
        pager.rows = rows;
        pager.page = 0;
        pager.show();
      });
    });
  }

  document.querySelectorAll("table[data-page]").forEach(function (table) {
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var label = table.caption ? table.caption.textContent.toLowerCase() : "rows";
    var pager = new Pager(table.parentNode, rows, parseInt(table.getAttribute("data-page"), 10) || 25, label);
    sortable(table, pager);
  });

  document.querySelectorAll("[data-list]").forEach(function (list) {
    var rows = Array.prototype.slice.call(list.querySelectorAll(":scope > [data-row]"));
    new Pager(list, rows, parseInt(list.getAttribute("data-page"), 10) || 10, list.getAttribute("data-list"));
  });
})();
